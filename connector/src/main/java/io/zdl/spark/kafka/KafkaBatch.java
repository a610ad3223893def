package io.zdl.spark.kafka;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.kafka.config.KafkaSourceConf;
import io.zdl.spark.kafka.config.KafkaSourceOptions;
import io.zdl.spark.kafka.metadata.KafkaOffsetReader;
import io.zdl.spark.kafka.offset.OffsetsInitializer;
import io.zdl.spark.kafka.read.InputPartitionPlanner;
import io.zdl.spark.kafka.read.KafkaPartitionReaderFactory;
import io.zdl.spark.kafka.read.ReadCounters;
import io.zdl.spark.loss.DataLossPolicy;
import io.zdl.spark.loss.DriverLossRecorder;
import io.zdl.spark.loss.ExecutorLossRecorder;
import io.zdl.spark.loss.SkippedRange;
import io.zdl.spark.loss.OffsetLossDetector;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;

/** {@code spark.read.format("zdl-kafka")}: reads from startingOffsets (default earliest) to endingOffsets (default latest). */
final class KafkaBatch implements Batch {
  private final KafkaSourceConf conf;
  private final Supplier<KafkaOffsetReader> readers;
  private final DriverLossRecorder driverLosses = new DriverLossRecorder(null); // batch reads have no ledger
  private final DataLossPolicy driverLossPolicy;
  private final DataLossPolicy executorLossPolicy;
  private final ReadCounters counters;

  KafkaBatch(KafkaSourceConf conf, Supplier<KafkaOffsetReader> readers) {
    this.conf = conf;
    this.readers = readers;
    this.driverLossPolicy = new DataLossPolicy(conf.failOnDataLoss(), SkippedRange.DetectedOn.DRIVER, driverLosses);
    this.counters = ReadCounters.register(SparkSession.active().sparkContext(), "batch read " + conf.subscription());
    this.executorLossPolicy = new DataLossPolicy(conf.failOnDataLoss(), SkippedRange.DetectedOn.EXECUTOR,
        new ExecutorLossRecorder(null, counters));
    // validate now, before anything runs
    conf.startingOffsetsForBatch();
    conf.endingOffsetsForBatch();
  }

  @Override
  public InputPartition[] planInputPartitions() {
    try (KafkaOffsetReader reader = readers.get()) {
      Set<TopicPartition> partitions = reader.partitions();
      Map<TopicPartition, Long> start = conf.startingOffsetsForBatch().resolve(partitions, reader);
      Map<TopicPartition, Long> latest = reader.latestOffsets(partitions);
      OffsetsInitializer ending = conf.endingOffsetsForBatch();
      Map<TopicPartition, Long> end = ending.isLatest() ? latest : ending.resolve(partitions, reader);
      for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
        Long logEnd = latest.get(e.getKey());
        if (logEnd != null && e.getValue() > logEnd) {
          throw ZdlErrors.invalidOption(KafkaSourceOptions.ENDING_OFFSETS, String.format(
              "for %s the ending offset %d is past the end of the log (%d); use -1 for latest", e.getKey(),
              e.getValue(), logEnd));
        }
        Long from = start.get(e.getKey());
        if (from != null && from > e.getValue()) {
          throw ZdlErrors.invalidOption(KafkaSourceOptions.ENDING_OFFSETS, String.format(
              "for %s the ending offset %d is before the starting offset %d", e.getKey(), e.getValue(), from));
        }
      }
      InputPartition[] planned =
          InputPartitionPlanner.plan(start, end, conf.minPartitions(), conf.maxRecordsPerPartition(), reader,
              new OffsetLossDetector(driverLossPolicy));
      driverLosses.flush(SkippedRange.NO_BATCH); // logs what was skipped
      return planned;
    }
  }

  @Override
  public PartitionReaderFactory createReaderFactory() {
    return new KafkaPartitionReaderFactory(
        conf.kafkaParams().consumerParams(conf.executorGroupId(UUID.randomUUID().toString())),
        conf.includeHeaders(), conf.pollTimeoutMs(), executorLossPolicy, counters);
  }
}
