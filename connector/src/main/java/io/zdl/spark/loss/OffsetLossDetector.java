package io.zdl.spark.loss;

import io.zdl.spark.kafka.offset.PartitionOffsets;
import io.zdl.spark.kafka.plan.OffsetRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Driver-side loss checks, on offsets already looked up (no I/O here). Each finding goes to the
 * {@link DataLossPolicy}, which stops the query or lets it skip; these methods return what is left
 * to read in the second case.
 */
public final class OffsetLossDetector {
  private final DataLossPolicy policy;

  public OffsetLossDetector(DataLossPolicy policy) {
    this.policy = policy;
  }

  /**
   * Compares where the query stands with the latest offsets: a partition that vanished, or whose
   * log end fell below the next offset to read, lost records.
   *
   * @return the latest offsets to plan with: vanished partitions dropped, none below {@code start}
   */
  public Map<TopicPartition, Long> checkLatest(Map<TopicPartition, Long> start, Map<TopicPartition, Long> latest) {
    return checkLatest(start, latest, java.util.Collections.<String>emptySet());
  }

  /** As above; partitions of {@code recreatedTopics} were reported as recreated, not again as truncated. */
  public Map<TopicPartition, Long> checkLatest(Map<TopicPartition, Long> start, Map<TopicPartition, Long> latest,
      Set<String> recreatedTopics) {
    Map<TopicPartition, Long> checked = PartitionOffsets.sorted();
    checked.putAll(latest);
    for (Map.Entry<TopicPartition, Long> e : start.entrySet()) {
      Long end = latest.get(e.getKey());
      if (end == null) {
        partitionGone(e.getKey(), e.getValue());
      } else if (end < e.getValue()) {
        if (!recreatedTopics.contains(e.getKey().topic())) {
          // records now written at [end, start) would never be read by this query
          policy.onLoss(e.getKey(), end, e.getValue(), LossCause.LOG_TRUNCATED);
        }
        checked.put(e.getKey(), e.getValue());
      }
    }
    return checked;
  }

  /**
   * Compares the topic ids Kafka reports now with those the query read: a topic whose id changed was
   * deleted and recreated. Its partitions the query had read into are reported as
   * {@link LossCause#TOPIC_RECREATED} ({@code [0, next)}: the new topic's records the query's position
   * would skip).
   *
   * @return the topics whose id changed
   */
  public Set<String> checkTopicIds(Map<TopicPartition, Long> start, Map<String, String> known,
      Map<String, String> current) {
    Set<String> recreated = new TreeSet<>();
    for (Map.Entry<String, String> e : current.entrySet()) {
      String was = known.get(e.getKey());
      if (was != null && !was.equals(e.getValue())) {
        recreated.add(e.getKey());
      }
    }
    for (Map.Entry<TopicPartition, Long> e : start.entrySet()) {
      if (recreated.contains(e.getKey().topic()) && e.getValue() > 0) {
        policy.onLoss(e.getKey(), 0, e.getValue(), LossCause.TOPIC_RECREATED);
      }
    }
    return recreated;
  }

  /** {@code tp}, which the query had read up to {@code next}, no longer exists. */
  public void partitionGone(TopicPartition tp, long next) {
    policy.onLoss(tp, next, SkippedRange.UNKNOWN_END, LossCause.PARTITION_GONE);
  }

  /**
   * Checks planned ranges against the log start offsets: the part of a range below its partition's
   * log start is gone.
   *
   * @return the ranges left to read
   */
  public List<OffsetRange> checkRanges(List<OffsetRange> ranges, Map<TopicPartition, Long> earliest) {
    List<OffsetRange> checked = new ArrayList<>(ranges.size());
    for (OffsetRange r : ranges) {
      Long logStart = earliest.get(r.topicPartition());
      if (logStart == null) {
        policy.onLoss(r.topicPartition(), r.fromOffset(), r.untilOffset(), LossCause.PARTITION_GONE);
      } else if (logStart > r.fromOffset()) {
        long resume = Math.min(logStart, r.untilOffset());
        policy.onLoss(r.topicPartition(), r.fromOffset(), resume, LossCause.OFFSETS_OUT_OF_RANGE);
        if (resume < r.untilOffset()) {
          checked.add(new OffsetRange(r.topicPartition(), resume, r.untilOffset()));
        }
      } else {
        checked.add(r);
      }
    }
    return checked;
  }
}
