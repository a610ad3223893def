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
    /** Ranges consumed by commits whose rows may drop or repeat records (filter, explode...): not checked row by row. */
    final List<Span> notOnePerRecord = new ArrayList<>();

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
  private final long firstVersion;

  private TableHistory(Map<PartitionKey, Recorded> partitions, int zdlCommits, long firstVersion) {
    this.partitions = partitions;
    this.zdlCommits = zdlCommits;
    this.firstVersion = firstVersion;
  }

  /** Reads every commit's summary; {@code sinkId} null takes every zdl-delta sink's commits. */
  static TableHistory read(SparkSession spark, DeltaTable table, String sinkId) {
    List<Row> history = table.history().select("version", "userMetadata").orderBy("version").collectAsList();
    Map<PartitionKey, Recorded> partitions = new TreeMap<>();
    int commits = 0;
    long firstVersion = history.isEmpty() ? 0 : history.get(0).getLong(0);
    for (Row h : history) {
      CommitSummary s = CommitSummary.fromJson(h.isNullAt(1) ? null : h.getString(1));
      if (s == null || (sinkId != null && !sinkId.equals(s.sinkId()))) {
        continue;
      }
      commits++;
      for (OffsetRange r : s.added()) {
        Span span = new Span(r.fromOffset(), r.untilOffset());
        of(partitions, r).added.add(span);
        if (s.rows() == CommitSummary.Rows.ANY) {
          of(partitions, r).notOnePerRecord.add(span);
        }
      }
      for (OffsetRange r : s.gaps()) {
        of(partitions, r).allowedGaps.add(new Span(r.fromOffset(), r.untilOffset()));
      }
      for (SkippedRange r : s.lost()) {
        partitions.computeIfAbsent(new PartitionKey(r.topicPartition().topic(), r.topicPartition().partition()),
            k -> new Recorded()).lost.add(r);
      }
    }
    return new TableHistory(partitions, commits, firstVersion);
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

  /**
   * The oldest version Delta's history still has: above 0 when its log retention removed older
   * commits, and with them their summaries.
   */
  long firstVersion() {
    return firstVersion;
  }

  boolean trimmed() {
    return firstVersion > 0;
  }

  /** Per partition, the ranges of commits that do not write one row per record. */
  Map<PartitionKey, List<Span>> notOnePerRecord() {
    Map<PartitionKey, List<Span>> out = new TreeMap<>();
    for (Map.Entry<PartitionKey, Recorded> e : partitions.entrySet()) {
      if (!e.getValue().notOnePerRecord.isEmpty()) {
        out.put(e.getKey(), Spans.union(e.getValue().notOnePerRecord));
      }
    }
    return out;
  }
}
