package io.zdl.spark.kafka;

import io.zdl.spark.kafka.config.KafkaSourceConf;
import io.zdl.spark.kafka.metadata.KafkaOffsetReader;
import io.zdl.spark.kafka.offset.InitialOffsetStore;
import io.zdl.spark.kafka.offset.KafkaSourceOffset;
import io.zdl.spark.kafka.plan.AdmissionController;
import io.zdl.spark.kafka.read.InputPartitionPlanner;
import io.zdl.spark.kafka.read.KafkaPartitionReaderFactory;
import io.zdl.spark.loss.DataLossPolicy;
import io.zdl.spark.loss.OffsetLossDetector;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.ReportsSourceMetrics;
import org.apache.spark.sql.connector.read.streaming.SupportsTriggerAvailableNow;

/**
 * The streaming read. Spark asks it for the next batch's end offset ({@link #latestOffset(Offset, ReadLimit)}),
 * writes that to the checkpoint's offset log, and only then plans and runs the batch; a restart
 * re-plans the logged range, which {@link InputPartitionPlanner} turns into the same tasks.
 */
final class KafkaMicroBatchStream implements MicroBatchStream, SupportsTriggerAvailableNow, ReportsSourceMetrics {
  private final KafkaSourceConf conf;
  private final KafkaOffsetReader reader;
  private final InitialOffsetStore initialOffsets;
  private final DataLossPolicy lossPolicy;
  private final OffsetLossDetector lossDetector;
  private final AdmissionController admission;
  private final Map<String, Object> consumerParams;
  private volatile Map<TopicPartition, Long> latestSeen;
  private Map<TopicPartition, Long> availableNowEnd;

  KafkaMicroBatchStream(KafkaSourceConf conf, KafkaOffsetReader reader, InitialOffsetStore initialOffsets,
      String queryUnique) {
    this.conf = conf;
    this.reader = reader;
    this.initialOffsets = initialOffsets;
    this.lossPolicy = new DataLossPolicy(conf.failOnDataLoss());
    this.lossDetector = new OffsetLossDetector(lossPolicy);
    this.admission = new AdmissionController(System.currentTimeMillis());
    this.consumerParams = conf.kafkaParams().consumerParams(conf.executorGroupId(queryUnique));
  }

  @Override
  public Offset initialOffset() {
    return initialOffsets.getOrCreate(() ->
        new KafkaSourceOffset(conf.startingOffsetsForStream().resolve(reader.partitions(), reader)));
  }

  @Override
  public Offset deserializeOffset(String json) {
    return KafkaSourceOffset.fromJson(json, "the checkpoint's offset log");
  }

  @Override
  public ReadLimit getDefaultReadLimit() {
    Long max = conf.maxOffsetsPerTrigger();
    Long min = conf.minOffsetsPerTrigger();
    if (min != null && max != null) {
      return ReadLimit.compositeLimit(new ReadLimit[] {
          ReadLimit.minRows(min, conf.maxTriggerDelayMs()), ReadLimit.maxRows(max)});
    }
    if (min != null) {
      return ReadLimit.minRows(min, conf.maxTriggerDelayMs());
    }
    return max != null ? ReadLimit.maxRows(max) : ReadLimit.allAvailable();
  }

  @Override
  public void prepareForTriggerAvailableNow() {
    availableNowEnd = reader.latestOffsets(reader.partitions());
  }

  @Override
  public Offset latestOffset() {
    throw new UnsupportedOperationException("zdl-kafka supports admission control: call latestOffset(Offset, ReadLimit)");
  }

  @Override
  public Offset latestOffset(Offset startOffset, ReadLimit limit) {
    Map<TopicPartition, Long> start = asKafkaOffset(startOffset).partitionOffsets();
    Map<TopicPartition, Long> latest =
        availableNowEnd != null ? availableNowEnd : reader.latestOffsets(reader.partitions());
    latestSeen = latest;
    latest = lossDetector.checkLatest(start, latest);
    Map<TopicPartition, Long> from = new HashMap<>(start);
    for (TopicPartition tp : latest.keySet()) {
      from.putIfAbsent(tp, InputPartitionPlanner.NEW_PARTITION_START);
    }
    from.keySet().retainAll(latest.keySet());
    Map<TopicPartition, Long> end =
        admission.endOffsets(from, latest, limit, System.currentTimeMillis(), availableNowEnd != null);
    return end == null ? startOffset : new KafkaSourceOffset(end);
  }

  @Override
  public Offset reportLatestOffset() {
    Map<TopicPartition, Long> latest = latestSeen;
    return latest == null ? null : new KafkaSourceOffset(latest);
  }

  @Override
  public InputPartition[] planInputPartitions(Offset start, Offset end) {
    return InputPartitionPlanner.plan(asKafkaOffset(start).partitionOffsets(), asKafkaOffset(end).partitionOffsets(),
        conf.minPartitions(), reader, lossDetector);
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new KafkaPartitionReaderFactory(consumerParams, conf.includeHeaders(), conf.pollTimeoutMs(), lossPolicy);
  }

  /** Offsets behind latest, as in Spark's source: min, max and average over partitions. */
  @Override
  public Map<String, String> metrics(Optional<Offset> latestConsumedOffset) {
    Map<TopicPartition, Long> latest = latestSeen;
    Map<String, String> metrics = new HashMap<>();
    if (latest == null || !latestConsumedOffset.isPresent()) {
      return metrics;
    }
    Map<TopicPartition, Long> consumed = asKafkaOffset(latestConsumedOffset.get()).partitionOffsets();
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    long sum = 0;
    int n = 0;
    for (Map.Entry<TopicPartition, Long> e : latest.entrySet()) {
      Long at = consumed.get(e.getKey());
      long behind = Math.max(0, e.getValue() - (at == null ? InputPartitionPlanner.NEW_PARTITION_START : at));
      min = Math.min(min, behind);
      max = Math.max(max, behind);
      sum += behind;
      n++;
    }
    if (n > 0) {
      metrics.put("minOffsetsBehindLatest", Long.toString(min));
      metrics.put("maxOffsetsBehindLatest", Long.toString(max));
      metrics.put("avgOffsetsBehindLatest", Double.toString((double) sum / n));
    }
    return metrics;
  }

  private static KafkaSourceOffset asKafkaOffset(Offset offset) {
    return offset instanceof KafkaSourceOffset
        ? (KafkaSourceOffset) offset : KafkaSourceOffset.fromJson(offset.json(), "an offset handed over by Spark");
  }

  @Override
  public void commit(Offset end) {
    // progress lives in Spark's checkpoint (and, with zdl-delta, in the table); nothing to do in Kafka
  }

  @Override
  public void stop() {
    reader.close();
  }

  /** Shown as the source's description in query progress: no connection settings. */
  @Override
  public String toString() {
    return "ZdlKafkaMicroBatchStream[" + conf.subscription() + "]";
  }
}
