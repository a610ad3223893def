package io.zdl.spark.kafka.read;

import io.zdl.spark.fault.CrashPoint;
import io.zdl.spark.kafka.consumer.ConsumerPool;
import io.zdl.spark.kafka.consumer.PartitionConsumer;
import io.zdl.spark.kafka.plan.OffsetRange;
import io.zdl.spark.loss.DataLossPolicy;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.PartitionReader;

/** Reads one offset range with a consumer borrowed from the executor's {@link ConsumerPool}. */
final class KafkaPartitionReader implements PartitionReader<InternalRow> {
  private final OffsetRange range;
  private final long pollTimeoutMs;
  private final DataLossPolicy lossPolicy;
  private final KafkaRecordToRow toRow;
  private final ReadCounters counters;
  private long recordsRead;
  private long bytesRead;
  private PartitionConsumer consumer;
  private long nextOffset;
  private InternalRow current;
  private boolean consistent = true;
  private final long faultAfterRecords = CrashPoint.readingFaultAfter(); // -1 outside fault tests

  /** @param fromLeaderEpoch the epoch of the log the range's first offset was seen in, or a negative value */
  KafkaPartitionReader(OffsetRange range, long fromLeaderEpoch, Map<String, Object> consumerParams,
      boolean includeHeaders, long pollTimeoutMs, DataLossPolicy lossPolicy, ReadCounters counters) {
    this.range = range;
    this.counters = counters;
    this.pollTimeoutMs = pollTimeoutMs;
    this.lossPolicy = lossPolicy;
    this.toRow = new KafkaRecordToRow(range.topicPartition().topic(), range.topicPartition().partition(),
        includeHeaders);
    this.nextOffset = range.fromOffset();
    if (range.size() > 0) {
      this.consumer = ConsumerPool.get().acquire(consumerParams, range.topicPartition());
      consumer.startAt(range.fromOffset(), fromLeaderEpoch);
    }
  }

  @Override
  public boolean next() {
    if (consumer == null || nextOffset >= range.untilOffset()) {
      return false;
    }
    consistent = false;
    ConsumerRecord<byte[], byte[]> record = consumer.next(nextOffset, range.untilOffset(), pollTimeoutMs, lossPolicy);
    consistent = true;
    if (record == null) {
      nextOffset = range.untilOffset();
      return false;
    }
    nextOffset = record.offset() + 1;
    recordsRead++;
    bytesRead += Math.max(0, record.serializedKeySize()) + Math.max(0, record.serializedValueSize());
    if (faultAfterRecords >= 0) {
      CrashPoint.recordRead(faultAfterRecords);
    }
    current = toRow.convert(record);
    return true;
  }

  @Override
  public InternalRow get() {
    return current;
  }

  @Override
  public void close() {
    counters.addRead(recordsRead, bytesRead); // once per task: accumulators are not free per record
    recordsRead = 0;
    bytesRead = 0;
    if (consumer != null) {
      // a consumer interrupted mid-fetch may hold a half-consumed buffer: close it rather than reuse it
      if (consistent) {
        ConsumerPool.get().release(consumer);
      } else {
        ConsumerPool.get().discard(consumer);
      }
      consumer = null;
    }
  }
}
