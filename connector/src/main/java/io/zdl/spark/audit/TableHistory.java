package io.zdl.spark.audit;

import io.delta.tables.DeltaTable;
import io.zdl.spark.delta.CommitSummary;
import io.zdl.spark.kafka.plan.OffsetRange;
import io.zdl.spark.loss.SkippedRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * What the zdl-delta commits of a table recorded, per partition: the ranges each commit added, the
 * gaps the sink was allowed to leave, and the ranges the source skipped as lost. Read through Delta's
 * public history API only ({@code DESCRIBE HISTORY}'s {@code userMetadata}), so it works wherever
 * Delta's public API does.
 */
final class TableHistory {
  /** Per partition, what the commits said about it. */
  static final class Recorded {
    final List<Span> added = new ArrayList<>();
    final List<Span> allowedGaps = new ArrayList<>();
    final List<SkippedRange> lost = new ArrayList<>();

    /** The first offset any commit covered; -1 when none did. */
    long start() {
      long start = Long.MAX_VALUE;
      for (Span s : added) {
        start = Math.min(start, s.from());
      }
      for (Span s : allowedGaps) {
        start = Math.min(start, s.from());
      }
      for (SkippedRange r : lost) {
        start = Math.min(start, r.fromOffset());
      }
      return start == Long.MAX_VALUE ? -1 : start;
    }

    /** The next offset the table holds, as the sink recorded it: the end of the last added range; -1 when none. */
    long next() {
      long next = -1;
      for (Span s : added) {
        next = Math.max(next, s.until());
      }
      return next;
    }

    List<Span> lostSpans() {
      List<Span> out = new ArrayList<>();
      for (SkippedRange r : lost) {
        out.add(new Span(r.fromOffset(), r.untilOffset()));
      }
      return out;
    }
  }

  private final Map<PartitionKey, Recorded> partitions;
  private final int zdlCommits;

  private TableHistory(Map<PartitionKey, Recorded> partitions, int zdlCommits) {
    this.partitions = partitions;
    this.zdlCommits = zdlCommits;
  }

  /** Reads every commit's summary; {@code sinkId} null takes every zdl-delta sink's commits. */
  static TableHistory read(SparkSession spark, DeltaTable table, String sinkId) {
    List<Row> history = table.history().select("version", "userMetadata").orderBy("version").collectAsList();
    Map<PartitionKey, Recorded> partitions = new TreeMap<>();
    int commits = 0;
    for (Row h : history) {
      CommitSummary s = CommitSummary.fromJson(h.isNullAt(1) ? null : h.getString(1));
      if (s == null || (sinkId != null && !sinkId.equals(s.sinkId()))) {
        continue;
      }
      commits++;
      for (OffsetRange r : s.added()) {
        of(partitions, r).added.add(new Span(r.fromOffset(), r.untilOffset()));
      }
      for (OffsetRange r : s.gaps()) {
        of(partitions, r).allowedGaps.add(new Span(r.fromOffset(), r.untilOffset()));
      }
      for (SkippedRange r : s.lost()) {
        partitions.computeIfAbsent(new PartitionKey(r.topicPartition().topic(), r.topicPartition().partition()),
            k -> new Recorded()).lost.add(r);
      }
    }
    return new TableHistory(partitions, commits);
  }

  private static Recorded of(Map<PartitionKey, Recorded> partitions, OffsetRange r) {
    return partitions.computeIfAbsent(
        new PartitionKey(r.topicPartition().topic(), r.topicPartition().partition()), k -> new Recorded());
  }

  Map<PartitionKey, Recorded> partitions() {
    return partitions;
  }

  Recorded of(PartitionKey p) {
    Recorded r = partitions.get(p);
    return r == null ? new Recorded() : r;
  }

  int zdlCommits() {
    return zdlCommits;
  }
}
