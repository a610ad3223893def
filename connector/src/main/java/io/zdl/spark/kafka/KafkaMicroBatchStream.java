package io.zdl.spark.kafka;

import io.zdl.spark.kafka.config.KafkaSourceConf;
import io.zdl.spark.kafka.metadata.KafkaOffsetReader;
import io.zdl.spark.kafka.offset.InitialOffsetStore;
import io.zdl.spark.kafka.offset.KafkaSourceOffset;
import io.zdl.spark.kafka.offset.OffsetsInitializer;
import io.zdl.spark.kafka.offset.PartitionOffsets;
import io.zdl.spark.kafka.offset.PositionEpochs;
import io.zdl.spark.kafka.offset.TopicIdsReporter;
import io.zdl.spark.kafka.plan.AdmissionController;
import io.zdl.spark.kafka.read.InputPartitionPlanner;
import io.zdl.spark.loss.OffsetLossDetector;
import io.zdl.spark.loss.SkippedRange;
import io.zdl.spark.loss.SkippedRangeReporter;
import io.zdl.spark.loss.StreamingBatchId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.SparkContext;
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
 * re-plans the logged range, which {@link InputPartitionPlanner} turns into the same tasks. Side jobs live in
 * their own classes: {@link GroupOffsetMirror}, {@link BatchLossReport}, {@link StreamProgressMetrics},
 * {@link TopicIdGuard}, {@link DefaultReadLimit}.
 * Not final: on Spark 4.1 and later the Spark 4 line extends it only to refuse real-time mode
 * (connector/src/spark4/java, {@code RealTimeRefusingStream}).
 */
class KafkaMicroBatchStream
    implements MicroBatchStream, SupportsTriggerAvailableNow, ReportsSourceMetrics, SkippedRangeReporter,
    TopicIdsReporter, ZdlKafkaSourceStream {
  private final KafkaSourceConf conf;
  private final KafkaOffsetReader reader;
  private final InitialOffsetStore initialOffsets;
  private final TopicIdGuard topicIds;
  private final SparkContext sparkContext;
  private final OffsetLossDetector lossDetector;
  private final BatchLossReport lossReport;
  private final GroupOffsetMirror groupMirror;
  private final StreamProgressMetrics metrics;
  private final Supplier<PartitionReaderFactory> readerFactories;
  private final AdmissionController admission;
  private volatile Map<TopicPartition, Long> latestSeen;
  /** Under Trigger.AvailableNow: set by prepareForTriggerAvailableNow; the run's end is looked up by its first latestOffset. */
  private boolean availableNow;
  private Map<TopicPartition, Long> availableNowEnd;
  private Map<TopicPartition, Long> availableNowEpochs;
  /** The end latestOffset last chose, and the log starts looked up with it (lookups planning can skip). */
  private volatile Map<TopicPartition, Long> lastPlannedEnd;
  private volatile Map<TopicPartition, Long> logStartsAtLastEnd;

  KafkaMicroBatchStream(StreamCollaborators parts) {
    this.conf = parts.conf;
    this.reader = parts.reader;
    this.initialOffsets = parts.initialOffsets;
    this.sparkContext = parts.sparkContext;
    this.lossDetector = parts.lossDetector;
    this.topicIds = parts.topicIds;
    this.lossReport = parts.lossReport;
    this.groupMirror = parts.groupMirror;
    this.metrics = parts.metrics;
    this.readerFactories = parts.readerFactories;
    this.admission = new AdmissionController(System.currentTimeMillis());
  }

  @Override
  public Offset initialOffset() {
    return initialOffsets.getOrCreate(() -> {
      OffsetsInitializer start = conf.startingOffsetsForStream();
      KafkaSourceOffset offsets = new KafkaSourceOffset(start.resolve(reader.partitions(), reader));
      topicIds.adoptStartIds(start.knownTopicIds()); // a zdl-delta table's offsets belong to the topics it names by id
      return offsets;
    });
  }

  @Override
  public Map<String, String> topicIds() {
    return topicIds.known();
  }

  @Override
  public Offset deserializeOffset(String json) {
    return KafkaSourceOffset.fromJson(json, "the checkpoint's offset log");
  }

  @Override
  public ReadLimit getDefaultReadLimit() {
    return DefaultReadLimit.of(conf);
  }

  /**
   * Spark calls this before it hands the stream its start offsets, so a listing here could not name the
   * partitions the query reads, and one a broker does not list yet (UNKNOWN_TOPIC_OR_PARTITION while
   * metadata propagates) would be taken for gone. The run's end is fixed instead by its first
   * {@link #latestOffset(Offset, ReadLimit)}, whose lookup asks again for the partitions it starts from.
   */
  @Override
  public void prepareForTriggerAvailableNow() {
    availableNow = true;
  }

  @Override
  public Offset latestOffset() {
    throw new UnsupportedOperationException("zdl-kafka supports admission control: call latestOffset(Offset, ReadLimit)");
  }

  @Override
  public Offset latestOffset(Offset startOffset, ReadLimit limit) {
    groupMirror.mirrorIfCommitted();
    Map<TopicPartition, Long> start = asKafkaOffset(startOffset).partitionOffsets();
    Map<TopicPartition, Long> latest = availableNowEnd;
    Map<TopicPartition, Long> latestEpochs = availableNowEpochs;
    Map<TopicPartition, Long> logStarts = null;
    if (latest == null) {
      // asked alongside the partition list for the partitions the batch starts from; the log starts
      // spare planning a lookup of its own
      latest = PartitionOffsets.sorted();
      logStarts = PartitionOffsets.sorted();
      reader.partitionsWithOffsets(start.keySet(), latest, logStarts);
      latestEpochs = reader.lastLatestEpochs();
      if (availableNow) {
        availableNowEnd = latest; // what is available now: later records are the next run's
        availableNowEpochs = latestEpochs;
      }
    }
    topicIds.check(start, reader.lastTopicIds());
    latestSeen = latest;
    Map<TopicPartition, Long> listedLatest = latest;
    latest = lossDetector.checkLatest(start, latest, topicIds.recreated());
    Map<TopicPartition, Long> from = new HashMap<>(start);
    for (TopicPartition tp : latest.keySet()) {
      from.putIfAbsent(tp, PartitionOffsets.NEW_PARTITION_START);
    }
    from.keySet().retainAll(latest.keySet());
    Map<TopicPartition, Long> end =
        admission.endOffsets(from, latest, limit, System.currentTimeMillis(), availableNow);
    if (end == null) {
      return startOffset;
    }
    KafkaSourceOffset endOffset = new KafkaSourceOffset(end,
        PositionEpochs.ofEnd(asKafkaOffset(startOffset), end, listedLatest, latestEpochs));
    lastPlannedEnd = logStarts == null ? null : endOffset.partitionOffsets();
    logStartsAtLastEnd = logStarts;
    return endOffset;
  }

  @Override
  public Offset reportLatestOffset() {
    Map<TopicPartition, Long> latest = latestSeen;
    return latest == null ? null : new KafkaSourceOffset(latest);
  }

  @Override
  public InputPartition[] planInputPartitions(Offset start, Offset end) {
    Map<TopicPartition, Long> endOffsets = asKafkaOffset(end).partitionOffsets();
    // planning the batch latestOffset just chose (not a replay): the log starts it saw a moment ago serve
    Map<TopicPartition, Long> logStarts = endOffsets.equals(lastPlannedEnd) ? logStartsAtLastEnd : null;
    InputPartition[] partitions = InputPartitionPlanner.plan(asKafkaOffset(start), asKafkaOffset(end),
        conf.minPartitions(), conf.maxRecordsPerPartition(), reader, lossDetector, logStarts);
    // Spark sets the batch id before it plans the batch: losses found up to now belong to this batch
    long batchId = StreamingBatchId.ofDriverThread(sparkContext);
    lossReport.planned(batchId);
    groupMirror.planned(batchId, endOffsets);
    return partitions;
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return readerFactories.get();
  }

  @Override
  public List<SkippedRange> skippedInBatch(long batchId) {
    return lossReport.skippedIn(batchId);
  }

  @Override
  public Map<String, String> metrics(Optional<Offset> latestConsumedOffset) {
    Map<TopicPartition, Long> latest = latestSeen;
    Map<TopicPartition, Long> consumed = latest == null || !latestConsumedOffset.isPresent() ? null
        : asKafkaOffset(latestConsumedOffset.get()).partitionOffsets();
    return metrics.sinceLastReport(latest, consumed);
  }

  private static KafkaSourceOffset asKafkaOffset(Offset offset) {
    return offset instanceof KafkaSourceOffset
        ? (KafkaSourceOffset) offset : KafkaSourceOffset.fromJson(offset.json(), "an offset handed over by Spark");
  }

  @Override
  public void commit(Offset end) {
    // Spark has written the batch to its commit log; the consumer group only mirrors that for lag tools
    if (groupMirror.enabled()) {
      groupMirror.committed(asKafkaOffset(end).partitionOffsets());
    }
  }

  @Override
  public void stop() {
    try {
      groupMirror.close();
    } finally {
      reader.close();
    }
  }

  /** Shown as the source's description in query progress: no connection settings. */
  @Override
  public String toString() {
    return "ZdlKafkaMicroBatchStream[" + conf.subscription() + "]";
  }
}
