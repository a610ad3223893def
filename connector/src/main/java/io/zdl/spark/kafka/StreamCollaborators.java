package io.zdl.spark.kafka;

import io.zdl.spark.kafka.config.KafkaSourceConf;
import io.zdl.spark.kafka.group.SparkCommitLog;
import io.zdl.spark.kafka.metadata.KafkaOffsetReader;
import io.zdl.spark.kafka.offset.InitialOffsetStore;
import io.zdl.spark.kafka.offset.TopicIdStore;
import io.zdl.spark.kafka.read.KafkaPartitionReaderFactory;
import io.zdl.spark.kafka.read.ReadCounters;
import io.zdl.spark.loss.DataLossPolicy;
import io.zdl.spark.loss.DriverLossRecorder;
import io.zdl.spark.loss.ExecutorLossRecorder;
import io.zdl.spark.loss.LossLedger;
import io.zdl.spark.loss.OffsetLossDetector;
import io.zdl.spark.loss.SkippedRange;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

/**
 * What one {@link KafkaMicroBatchStream} works with, wired by {@link KafkaScan} for one checkpoint: the offset
 * lookups, the checkpoint's files and the topic-id guard, loss detection and the batch's loss report, the
 * consumer-group mirror, the progress metrics and the executors' reader factory.
 */
final class StreamCollaborators {
  final KafkaSourceConf conf;
  final KafkaOffsetReader reader;
  final InitialOffsetStore initialOffsets;
  final TopicIdGuard topicIds;
  final SparkContext sparkContext;
  final OffsetLossDetector lossDetector;
  final BatchLossReport lossReport;
  final GroupOffsetMirror groupMirror;
  final StreamProgressMetrics metrics;
  final Supplier<PartitionReaderFactory> readerFactories;

  /**
   * Wires a stream that looks up offsets with {@code reader} and keeps its files under {@code checkpointLocation}
   * (the source's folder Spark hands over); {@code queryUnique} makes the executors' group id unique.
   */
  StreamCollaborators(KafkaSourceConf conf, KafkaOffsetReader reader, String checkpointLocation,
      SparkContext sparkContext, String queryUnique) {
    Configuration hadoopConf = sparkContext.hadoopConfiguration();
    LossLedger ledger = new LossLedger(checkpointLocation, hadoopConf);
    this.conf = conf;
    this.reader = reader;
    this.initialOffsets = new InitialOffsetStore(checkpointLocation, hadoopConf);
    this.sparkContext = sparkContext;
    DriverLossRecorder driverLosses = new DriverLossRecorder(ledger);
    this.lossDetector = new OffsetLossDetector(
        new DataLossPolicy(conf.failOnDataLoss(), SkippedRange.DetectedOn.DRIVER, driverLosses));
    this.topicIds = new TopicIdGuard(new TopicIdStore(checkpointLocation, hadoopConf), lossDetector);
    ReadCounters counters = ReadCounters.register(sparkContext, conf.subscription().toString());
    // tasks write the ledger only when skipping is allowed; its Hadoop configuration then reaches each executor once
    DataLossPolicy executorLossPolicy = new DataLossPolicy(conf.failOnDataLoss(), SkippedRange.DetectedOn.EXECUTOR,
        conf.failOnDataLoss() ? null : new ExecutorLossRecorder(ledger.sharedWithExecutors(sparkContext), counters));
    this.lossReport = new BatchLossReport(driverLosses, ledger::forBatch, () -> counters.snapshot().lostRanges);
    this.groupMirror = conf.commitOffsetsToGroup() == null ? GroupOffsetMirror.disabled()
        : GroupOffsetMirror.toGroup(conf.commitOffsetsToGroup(), conf.kafkaParams().adminParams(),
            new SparkCommitLog(checkpointLocation, hadoopConf));
    this.metrics = new StreamProgressMetrics(counters, driverLosses, groupMirror);
    Map<String, Object> consumerParams = conf.kafkaParams().consumerParams(conf.executorGroupId(queryUnique));
    this.readerFactories = () -> new KafkaPartitionReaderFactory(consumerParams, conf.includeHeaders(),
        conf.pollTimeoutMs(), executorLossPolicy, counters);
  }
}
