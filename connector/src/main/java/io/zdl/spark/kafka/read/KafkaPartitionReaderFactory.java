package io.zdl.spark.kafka.read;

import io.zdl.spark.loss.DataLossPolicy;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

/** Sent to executors once per task; creates the readers of {@link KafkaInputPartition}s. */
public final class KafkaPartitionReaderFactory implements PartitionReaderFactory {
  private final HashMap<String, Object> consumerParams;
  private final boolean includeHeaders;
  private final long pollTimeoutMs;
  private final DataLossPolicy lossPolicy;
  private final ReadCounters counters;

  public KafkaPartitionReaderFactory(Map<String, Object> consumerParams, boolean includeHeaders, long pollTimeoutMs,
      DataLossPolicy lossPolicy, ReadCounters counters) {
    this.counters = counters;
    this.consumerParams = new HashMap<>(consumerParams);
    this.includeHeaders = includeHeaders;
    this.pollTimeoutMs = pollTimeoutMs;
    this.lossPolicy = lossPolicy;
  }

  @Override
  public PartitionReader<InternalRow> createReader(InputPartition partition) {
    KafkaInputPartition p = (KafkaInputPartition) partition;
    return new KafkaPartitionReader(p.range(), p.fromLeaderEpoch(), consumerParams, includeHeaders,
        pollTimeoutMs, lossPolicy, counters);
  }

  /** Never the consumer settings: they may hold secrets. */
  @Override
  public String toString() {
    return "KafkaPartitionReaderFactory[includeHeaders=" + includeHeaders + "]";
  }
}
