package io.zdl.spark.kafka;

import io.zdl.spark.kafka.config.KafkaSourceConf;
import io.zdl.spark.kafka.metadata.KafkaOffsetReader;
import io.zdl.spark.kafka.offset.InitialOffsetStore;
import io.zdl.spark.kafka.offset.KafkaSourceOffset;
import io.zdl.spark.kafka.offset.PartitionOffsets;
import io.zdl.spark.kafka.offset.OffsetsInitializer;
import io.zdl.spark.kafka.offset.PositionEpochs;
import io.zdl.spark.kafka.offset.TopicIdStore;
import io.zdl.spark.kafka.offset.TopicIdsReporter;
import io.zdl.spark.kafka.plan.AdmissionController;
import io.zdl.spark.kafka.read.InputPartitionPlanner;
import io.zdl.spark.kafka.read.KafkaPartitionReaderFactory;
import io.zdl.spark.kafka.group.GroupOffsetCommitter;
import io.zdl.spark.kafka.group.SparkCommitLog;
import io.zdl.spark.kafka.read.ReadCounters;
import io.zdl.spark.loss.DataLossPolicy;
import io.zdl.spark.loss.DriverLossRecorder;
import io.zdl.spark.loss.ExecutorLossRecorder;
import io.zdl.spark.loss.LossLedger;
import io.zdl.spark.loss.OffsetLossDetector;
import io.zdl.spark.loss.SkippedRange;
import io.zdl.spark.loss.SkippedRangeReporter;
import io.zdl.spark.loss.StreamingBatchId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
 * re-plans the logged range, which {@link InputPartitionPlanner} turns into the same tasks.
 */
final class KafkaMicroBatchStream
    implements MicroBatchStream, SupportsTriggerAvailableNow, ReportsSourceMetrics, SkippedRangeReporter,
    TopicIdsReporter, ZdlKafkaSourceStream {
  private final KafkaSourceConf conf;
  private final KafkaOffsetReader reader;
  private final InitialOffsetStore initialOffsets;
  private final SparkContext sparkContext;
  private final LossLedger ledger;
  private final DriverLossRecorder driverLosses;
  private final OffsetLossDetector lossDetector;
  private final DataLossPolicy executorLossPolicy;
  private final ReadCounters counters;
  private final GroupOffsetCommitter groupCommitter; // null: commitOffsetsToGroup not set
  private final AdmissionController admission;
  private final Map<String, Object> consumerParams;
  private volatile Map<TopicPartition, Long> latestSeen;
  /** Under Trigger.AvailableNow: set by prepareForTriggerAvailableNow; the run's end is looked up by its first latestOffset. */
  private boolean availableNow;
  private Map<TopicPartition, Long> availableNowEnd;
  private Map<TopicPartition, Long> availableNowEpochs;
  /** The end latestOffset last chose, and the log starts looked up with it (lookups planning can skip). */
  private volatile Map<TopicPartition, Long> lastPlannedEnd;
  private volatile Map<TopicPartition, Long> logStartsAtLastEnd;
  private ReadCounters.Snapshot countersAtLastReport = ReadCounters.Snapshot.ZERO;
  private final Map<Long, Long> executorLostRangesAtPlanning = new HashMap<>();
  private boolean firstBatchOfThisRun = true;
  private final SparkCommitLog commitLog;
  private final TopicIdStore topicIds;
  private final Set<String> recreatedTopics = new TreeSet<>(); // skipped this run: not reported again as truncated
  private long groupPendingBatch = -1; // the newest planned batch not yet mirrored to the group
  private Map<TopicPartition, Long> groupPendingEnd;

  KafkaMicroBatchStream(KafkaSourceConf conf, KafkaOffsetReader reader, InitialOffsetStore initialOffsets,
      LossLedger ledger, SparkCommitLog commitLog, TopicIdStore topicIds, SparkContext sparkContext,
      String queryUnique) {
    this.commitLog = commitLog;
    this.topicIds = topicIds;
    this.conf = conf;
    this.reader = reader;
    this.initialOffsets = initialOffsets;
    this.sparkContext = sparkContext;
    this.ledger = ledger;
    this.driverLosses = new DriverLossRecorder(ledger);
    this.lossDetector = new OffsetLossDetector(
        new DataLossPolicy(conf.failOnDataLoss(), SkippedRange.DetectedOn.DRIVER, driverLosses));
    this.counters = ReadCounters.register(sparkContext, conf.subscription().toString());
    // tasks write the ledger only when skipping is allowed; its Hadoop configuration then reaches each executor once
    this.executorLossPolicy = new DataLossPolicy(conf.failOnDataLoss(), SkippedRange.DetectedOn.EXECUTOR,
        conf.failOnDataLoss() ? null : new ExecutorLossRecorder(ledger.sharedWithExecutors(sparkContext), counters));
    this.groupCommitter = conf.commitOffsetsToGroup() == null ? null
        : new GroupOffsetCommitter(conf.commitOffsetsToGroup(), conf.kafkaParams().adminParams());
    this.admission = new AdmissionController(System.currentTimeMillis());
    this.consumerParams = conf.kafkaParams().consumerParams(conf.executorGroupId(queryUnique));
  }

  @Override
  public Offset initialOffset() {
    return initialOffsets.getOrCreate(() -> {
      OffsetsInitializer start = conf.startingOffsetsForStream();
      KafkaSourceOffset offsets = new KafkaSourceOffset(start.resolve(reader.partitions(), reader));
      // offsets taken from a zdl-delta table belong to the topics it names by id: the first batch then
      // detects a topic recreated meanwhile as a restart from the checkpoint would
      Map<String, String> ids = new HashMap<>(start.knownTopicIds());
      ids.keySet().removeAll(topicIds.known().keySet());
      topicIds.remember(ids);
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
    mirrorCommittedBatchToGroup();
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
    checkTopicIds(start);
    latestSeen = latest;
    Map<TopicPartition, Long> listedLatest = latest;
    latest = lossDetector.checkLatest(start, latest, recreatedTopics);
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

  /**
   * A recreated topic stops the query (or, with failOnDataLoss=false, is recorded as skipping the
   * new topic's records below the query's position, the way the zdl-delta table's offsets see them).
   */
  private void checkTopicIds(Map<TopicPartition, Long> start) {
    Map<String, String> current = reader.lastTopicIds();
    if (current.isEmpty()) {
      return;
    }
    // throws unless failOnDataLoss=false
    recreatedTopics.addAll(lossDetector.checkTopicIds(start, topicIds.known(), current));
    topicIds.remember(current);
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
    driverLosses.flush(batchId);
    if (groupCommitter != null) {
      synchronized (this) {
        groupPendingBatch = batchId;
        groupPendingEnd = asKafkaOffset(end).partitionOffsets();
      }
    }
    synchronized (executorLostRangesAtPlanning) {
      executorLostRangesAtPlanning.put(batchId, counters.snapshot().lostRanges);
      if (executorLostRangesAtPlanning.size() > 100) {
        executorLostRangesAtPlanning.keySet().removeIf(b -> b < batchId - 50);
      }
    }
    return partitions;
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new KafkaPartitionReaderFactory(consumerParams, conf.includeHeaders(), conf.pollTimeoutMs(),
        executorLossPolicy, counters);
  }

  /**
   * The ranges skipped in {@code batchId}: the driver's from memory; the executors' from the ledger,
   * read only when the executors reported a loss since the batch was planned, or when this batch may
   * be a replay of one that ran before a restart.
   */
  @Override
  public List<SkippedRange> skippedInBatch(long batchId) {
    List<SkippedRange> result = new ArrayList<>(driverLosses.recordedIn(batchId));
    Long atPlanning;
    synchronized (executorLostRangesAtPlanning) {
      atPlanning = executorLostRangesAtPlanning.get(batchId);
    }
    boolean executorsLost = atPlanning == null || counters.snapshot().lostRanges > atPlanning;
    if (executorsLost || firstBatchOfThisRun) {
      for (SkippedRange r : ledger.forBatch(batchId)) {
        boolean known = false;
        for (SkippedRange x : result) {
          known |= x.sameLoss(r);
        }
        if (!known) {
          result.add(r);
        }
      }
    }
    firstBatchOfThisRun = false;
    return result;
  }

  /**
   * Per batch: records and bytes read, records and ranges skipped as lost; and, as in Spark's source,
   * offsets behind latest (min, max, average over partitions) with an estimate of the bytes behind.
   */
  @Override
  public Map<String, String> metrics(Optional<Offset> latestConsumedOffset) {
    Map<String, String> metrics = new HashMap<>();
    ReadCounters.Snapshot now = counters.snapshot();
    ReadCounters.Snapshot batch = now.minus(countersAtLastReport);
    countersAtLastReport = now;
    long[] driverLost = driverLosses.takeCounts();
    metrics.put("recordsRead", Long.toString(batch.records));
    metrics.put("bytesRead", Long.toString(batch.bytes));
    metrics.put("lostRecords", Long.toString(batch.lostRecords + driverLost[0]));
    metrics.put("lostRanges", Long.toString(batch.lostRanges + driverLost[1]));
    if (groupCommitter != null) {
      metrics.put("groupCommitsFailed", Long.toString(groupCommitter.failedBatches()));
    }
    Map<TopicPartition, Long> latest = latestSeen;
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
      long behind = Math.max(0, e.getValue() - (at == null ? PartitionOffsets.NEW_PARTITION_START : at));
      min = Math.min(min, behind);
      max = Math.max(max, behind);
      sum += behind;
      n++;
    }
    if (n > 0) {
      metrics.put("minOffsetsBehindLatest", Long.toString(min));
      metrics.put("maxOffsetsBehindLatest", Long.toString(max));
      metrics.put("avgOffsetsBehindLatest", Double.toString((double) sum / n));
      if (now.records > 0) {
        // offsets are not bytes: estimate with the mean record size read so far by this query
        metrics.put("estimatedTotalBytesBehindLatest", Long.toString((long) ((double) now.bytes / now.records * sum)));
      }
    }
    return metrics;
  }

  private static KafkaSourceOffset asKafkaOffset(Offset offset) {
    return offset instanceof KafkaSourceOffset
        ? (KafkaSourceOffset) offset : KafkaSourceOffset.fromJson(offset.json(), "an offset handed over by Spark");
  }

  @Override
  public void commit(Offset end) {
    // Spark has written the batch to its commit log. Progress lives there (and, with zdl-delta, in the table);
    // the consumer group only mirrors it for lag tools, and is never read back.
    if (groupCommitter != null) {
      Map<TopicPartition, Long> offsets = asKafkaOffset(end).partitionOffsets();
      synchronized (this) {
        if (offsets.equals(groupPendingEnd)) {
          groupPendingEnd = null;
        }
      }
      groupCommitter.commitAsync(offsets, "batch ending at " + offsets);
    }
  }

  /** Mirrors the newest planned batch into the group once Spark's commit log has it. */
  private void mirrorCommittedBatchToGroup() {
    if (groupCommitter == null) {
      return;
    }
    long batchId;
    Map<TopicPartition, Long> end;
    synchronized (this) {
      batchId = groupPendingBatch;
      end = groupPendingEnd;
    }
    if (end != null && commitLog.isCommitted(batchId)) {
      synchronized (this) {
        if (end == groupPendingEnd) {
          groupPendingEnd = null;
        }
      }
      groupCommitter.commitAsync(end, "batch " + batchId);
    }
  }

  @Override
  public void stop() {
    try {
      if (groupCommitter != null) {
        mirrorCommittedBatchToGroup();
        groupCommitter.close();
      }
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
