package io.zdl.spark.kafka.metadata;

import io.zdl.spark.kafka.offset.OffsetsInitializer.PartitionOffsetsRetriever;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;

/**
 * Driver-side offset lookups. One per stream or batch scan; close it when the stream stops. The lookups
 * that resolving a starting offset needs ({@code earliestOffsets}, {@code latestOffsets},
 * {@code offsetsForTimestamps}, {@code NO_OFFSET}) are declared by the offset package's narrow interface.
 */
public interface KafkaOffsetReader extends PartitionOffsetsRetriever, AutoCloseable {
  /** The partitions the subscription covers right now. */
  Set<TopicPartition> partitions();

  /**
   * As {@link #partitions()}; an implementation may ask again, within a bound, before it leaves out one
   * of {@code expected} (partitions the caller knows existed), in case metadata had not reached a broker.
   */
  default Set<TopicPartition> partitions(Set<TopicPartition> expected) {
    return partitions();
  }

  /** Topic name to topic id, as seen by the last {@link #partitions()} call. */
  Map<String, String> lastTopicIds();

  /**
   * Log end offsets (as {@link #latestOffsets}) into {@code latest} and log start offsets into
   * {@code earliest}, in one round trip where the implementation can ask both at once.
   */
  default void latestAndEarliestOffsets(Set<TopicPartition> partitions, Map<TopicPartition, Long> latest,
      Map<TopicPartition, Long> earliest) {
    latest.putAll(latestOffsets(partitions));
    earliest.putAll(earliestOffsets(partitions));
  }

  /**
   * {@link #partitions()}, then their offsets as {@link #latestAndEarliestOffsets}; {@code expected}
   * (the partitions the last batch had) lets an implementation ask their offsets while it still
   * lists the partitions. Returns the partitions.
   */
  default Set<TopicPartition> partitionsWithOffsets(Set<TopicPartition> expected, Map<TopicPartition, Long> latest,
      Map<TopicPartition, Long> earliest) {
    Set<TopicPartition> partitions = partitions();
    latestAndEarliestOffsets(partitions, latest, earliest);
    return partitions;
  }

  /**
   * The leader epochs that came with the latest offsets of the last call that looked them up
   * ({@link #latestOffsets}, {@link #latestAndEarliestOffsets}, {@link #partitionsWithOffsets}): for a
   * partition listed here, its leader's log held every offset below that latest offset under that epoch.
   * Partitions whose epoch is not known are left out.
   */
  default Map<TopicPartition, Long> lastLatestEpochs() {
    return Collections.emptyMap();
  }

  @Override
  void close();
}
