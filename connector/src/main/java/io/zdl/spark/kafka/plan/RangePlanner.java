package io.zdl.spark.kafka.plan;

import io.zdl.spark.kafka.offset.PartitionOffsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Turns a batch's start and end offsets into the ranges tasks read. Pure and deterministic: the
 * same offsets always give the same ranges, which is what makes a replayed batch read exactly
 * what the first attempt read.
 */
public final class RangePlanner {
  private RangePlanner() {}

  public static List<OffsetRange> plan(Map<TopicPartition, Long> start, Map<TopicPartition, Long> end,
      long newPartitionStart, Integer minPartitions) {
    return plan(start, end, newPartitionStart, minPartitions, null);
  }

  /**
   * @param start next offset per partition; a partition missing here starts at {@code newPartitionStart}
   * @param end end offset per partition (exclusive)
   * @param minPartitions split ranges until there are at least this many, or null
   * @param maxRecordsPerPartition first split each range into even pieces of at most this many offsets, or
   *     null (as Spark 4's kafka source: this split comes before the one for minPartitions)
   */
  public static List<OffsetRange> plan(Map<TopicPartition, Long> start, Map<TopicPartition, Long> end,
      long newPartitionStart, Integer minPartitions, Long maxRecordsPerPartition) {
    List<OffsetRange> ranges = new ArrayList<>();
    for (Map.Entry<TopicPartition, Long> e : PartitionOffsets.sortedCopy(end).entrySet()) {
      Long from = start.get(e.getKey());
      long f = from == null ? newPartitionStart : from;
      if (e.getValue() > f) {
        ranges.add(new OffsetRange(e.getKey(), f, e.getValue()));
      }
    }
    if (maxRecordsPerPartition != null) {
      ranges = capped(ranges, maxRecordsPerPartition);
    }
    if (minPartitions == null || ranges.size() >= minPartitions || ranges.isEmpty()) {
      return Collections.unmodifiableList(ranges);
    }
    return Collections.unmodifiableList(split(ranges, minPartitions));
  }

  /** Splits each range into ceil(size / max) even, contiguous pieces. */
  static List<OffsetRange> capped(List<OffsetRange> ranges, long max) {
    List<OffsetRange> pieces = new ArrayList<>();
    for (OffsetRange r : ranges) {
      pieces.addAll(even(r, (r.size() + max - 1) / max));
    }
    return pieces;
  }

  /** Splits each range into pieces in proportion to its share of all offsets, at least one piece each. */
  static List<OffsetRange> split(List<OffsetRange> ranges, int minPartitions) {
    long total = 0;
    for (OffsetRange r : ranges) {
      total += r.size();
    }
    List<OffsetRange> pieces = new ArrayList<>();
    for (OffsetRange r : ranges) {
      long parts = (long) Math.ceil((double) r.size() * minPartitions / total);
      pieces.addAll(even(r, Math.max(1, Math.min(parts, r.size()))));
    }
    return pieces;
  }

  /** {@code r} as {@code parts} contiguous pieces whose sizes differ by at most one, the larger first. */
  private static List<OffsetRange> even(OffsetRange r, long parts) {
    List<OffsetRange> pieces = new ArrayList<>();
    long base = r.size() / parts;
    long extra = r.size() % parts;
    long from = r.fromOffset();
    for (long i = 0; i < parts; i++) {
      long until = from + base + (i < extra ? 1 : 0);
      pieces.add(new OffsetRange(r.topicPartition(), from, until));
      from = until;
    }
    return pieces;
  }
}
