package io.zdl.spark.kafka.consumer;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.loss.DataLossPolicy;
import io.zdl.spark.loss.LossCause;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.TopicPartition;

/**
 * A Kafka consumer assigned to one topic-partition, reading ranges of it in order. Records fetched
 * past the end of one range stay buffered, so when the pool hands this consumer the next batch's
 * range of the same partition, reading continues without a seek or a new fetch.
 */
public final class PartitionConsumer implements AutoCloseable {
  private static final long MAX_POLL_WAIT_MS = 1000;

  private final ConsumerPool.Key key;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicPartition tp;
  private final ArrayDeque<ConsumerRecord<byte[], byte[]>> buffer = new ArrayDeque<>();
  /** The offset the buffer and the consumer's position continue from; -1 before the first seek. */
  private long continuesFrom = -1;
  long lastReleasedNanos;

  PartitionConsumer(ConsumerPool.Key key, Map<String, Object> params) {
    this.key = key;
    this.tp = key.topicPartition();
    this.consumer = new KafkaConsumer<>(params);
    consumer.assign(Collections.singleton(tp));
  }

  ConsumerPool.Key key() {
    return key;
  }

  /**
   * The next record of {@code tp} at or after {@code offset} and below {@code until}, or null when
   * the range holds no more records. Offsets missing inside the log (compaction, transaction
   * markers, aborted records under read_committed) are skipped: they are not loss. Offsets missing
   * because the log no longer has them go to {@code lossPolicy}.
   */
  public ConsumerRecord<byte[], byte[]> next(long offset, long until, long pollTimeoutMs, DataLossPolicy lossPolicy) {
    if (offset >= until) {
      return null;
    }
    if (offset != continuesFrom) {
      seek(offset);
    }
    long deadline = System.nanoTime() + pollTimeoutMs * 1_000_000L;
    while (true) {
      ConsumerRecord<byte[], byte[]> r = buffer.peekFirst();
      if (r != null) {
        if (r.offset() < offset) { // cannot happen after a seek; kept as a guard against stale fetches
          buffer.pollFirst();
          continue;
        }
        if (r.offset() >= until) {
          continuesFrom = until;
          return null;
        }
        buffer.pollFirst();
        continuesFrom = r.offset() + 1;
        return r;
      }
      if (consumer.position(tp) >= until) {
        continuesFrom = until; // the rest of the range holds no records (markers or aborted ones)
        return null;
      }
      long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
      if (leftMs <= 0) {
        return onNoProgress(offset, until, pollTimeoutMs, lossPolicy);
      }
      try {
        for (ConsumerRecord<byte[], byte[]> rec : consumer.poll(Duration.ofMillis(Math.min(leftMs, MAX_POLL_WAIT_MS)))) {
          buffer.addLast(rec);
        }
      } catch (OffsetOutOfRangeException e) {
        long logStart = consumer.beginningOffsets(Collections.singleton(tp)).get(tp);
        long position = consumer.position(tp);
        if (logStart <= position) {
          throw new ZdlException(ZdlErrors.DATA_LOSS_LOG_TRUNCATED, String.format(
              "Offset %d of topic %s partition %d is out of range but the log starts at %d; the log was truncated "
                  + "or the topic recreated", position, tp.topic(), tp.partition(), logStart), e);
        }
        long resumeAt = Math.min(logStart, until);
        lossPolicy.onLoss(tp, position, resumeAt, LossCause.OFFSETS_OUT_OF_RANGE);
        seek(resumeAt);
        offset = resumeAt;
        if (resumeAt >= until) {
          continuesFrom = until;
          return null;
        }
      }
    }
  }

  /** The range has records we were told exist, but none came within the poll timeout: find out why. */
  private ConsumerRecord<byte[], byte[]> onNoProgress(long offset, long until, long pollTimeoutMs,
      DataLossPolicy lossPolicy) {
    long position = consumer.position(tp);
    long logEnd = consumer.endOffsets(Collections.singleton(tp)).get(tp);
    if (logEnd < until) {
      lossPolicy.onLoss(tp, Math.max(position, logEnd), until, LossCause.LOG_TRUNCATED);
      seek(until);
      return null;
    }
    throw new ZdlException(ZdlErrors.FETCH_TIMEOUT, String.format(
        "No record of topic %s partition %d at or after offset %d arrived within %d ms although the log ends at %d; "
            + "check the brokers, or raise kafkaConsumer.pollTimeoutMs", tp.topic(), tp.partition(), offset,
        pollTimeoutMs, logEnd));
  }

  private void seek(long offset) {
    buffer.clear();
    consumer.seek(tp, offset);
    continuesFrom = offset;
  }

  @Override
  public void close() {
    buffer.clear();
    consumer.close(Duration.ofSeconds(5));
  }
}
