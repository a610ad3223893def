package io.zdl.spark.kafka.read;

import io.zdl.spark.kafka.metadata.KafkaOffsetReader;
import io.zdl.spark.kafka.offset.KafkaSourceOffset;
import io.zdl.spark.kafka.offset.PartitionOffsets;
import io.zdl.spark.kafka.offset.PositionEpochs;
import io.zdl.spark.kafka.plan.OffsetRange;
import io.zdl.spark.kafka.plan.RangePlanner;
import io.zdl.spark.loss.OffsetLossDetector;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.connector.read.InputPartition;

/** From a batch's start and end offsets to Spark input partitions, with the driver-side loss check. */
public final class InputPartitionPlanner {
  private InputPartitionPlanner() {}

  public static InputPartition[] plan(Map<TopicPartition, Long> start, Map<TopicPartition, Long> end,
      Integer minPartitions, Long maxRecordsPerPartition, KafkaOffsetReader reader, OffsetLossDetector lossDetector) {
    return plan(start, end, minPartitions, maxRecordsPerPartition, reader, lossDetector, null);
  }

  /**
   * @param logStarts log start offsets looked up together with the latest offsets when {@code end} was
   *     chosen a moment ago, which saves two lookups; null to look them up now (a replayed batch, a batch
   *     read). A topic deleted in the moment between is then not seen here: the executors' reads of it fail,
   *     and so does the batch, which a restart plans again with a fresh lookup (no record read twice or lost).
   */
  public static InputPartition[] plan(Map<TopicPartition, Long> start, Map<TopicPartition, Long> end,
      Integer minPartitions, Long maxRecordsPerPartition, KafkaOffsetReader reader, OffsetLossDetector lossDetector,
      Map<TopicPartition, Long> logStarts) {
    return plan(new KafkaSourceOffset(start), new KafkaSourceOffset(end), minPartitions, maxRecordsPerPartition,
        reader, lossDetector, logStarts);
  }

  /** As above; each range also carries the leader epoch its first offset is validated against. */
  public static InputPartition[] plan(KafkaSourceOffset startOffset, KafkaSourceOffset endOffset,
      Integer minPartitions, Long maxRecordsPerPartition, KafkaOffsetReader reader, OffsetLossDetector lossDetector,
      Map<TopicPartition, Long> logStarts) {
    Map<TopicPartition, Long> start = startOffset.partitionOffsets();
    Map<TopicPartition, Long> end = endOffset.partitionOffsets();
    // a partition the batch started with but does not end with vanished (found when the end was chosen;
    // found again here so that a batch replayed after a restart records it too)
    for (Map.Entry<TopicPartition, Long> e : start.entrySet()) {
      if (!end.containsKey(e.getKey())) {
        lossDetector.partitionGone(e.getKey(), e.getValue());
      }
    }
    List<OffsetRange> ranges = RangePlanner.plan(start, end, PartitionOffsets.NEW_PARTITION_START, minPartitions,
        maxRecordsPerPartition);
    if (!ranges.isEmpty()) {
      Set<TopicPartition> planned = new TreeSet<>(PartitionOffsets.ORDER);
      for (OffsetRange r : ranges) {
        planned.add(r.topicPartition());
      }
      ranges = lossDetector.checkRanges(ranges, logStarts != null && logStarts.keySet().containsAll(planned)
          ? logStarts : lookUpLogStarts(planned, reader));
    }
    ExecutorLocations locations = ExecutorLocations.current();
    InputPartition[] partitions = new InputPartition[ranges.size()];
    for (int i = 0; i < partitions.length; i++) {
      OffsetRange r = ranges.get(i);
      long epoch = PositionEpochs.ofRangeStart(r.topicPartition(), r.fromOffset(), startOffset, endOffset);
      partitions[i] = new KafkaInputPartition(r, epoch, locations.preferredFor(r.topicPartition()));
    }
    return partitions;
  }

  /** Log starts of the planned partitions that exist; a vanished partition has no log start to look up. */
  private static Map<TopicPartition, Long> lookUpLogStarts(Set<TopicPartition> planned, KafkaOffsetReader reader) {
    planned.retainAll(reader.partitions(planned)); // asked again before one is taken for gone
    return reader.earliestOffsets(planned);
  }
}
