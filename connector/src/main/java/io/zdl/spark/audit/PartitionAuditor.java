package io.zdl.spark.audit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/** Builds one partition's audit from the table's commits, its rows and Kafka's answers. */
final class PartitionAuditor {
  private PartitionAuditor() {}

  /**
   * What the table holds of {@code k}: from the rows when {@code rowLevel}, else from the commits'
   * added ranges (where two commits adding the same offset are a duplicate).
   */
  static PartitionAudit audit(PartitionKey k, TableHistory.Recorded recorded, RowScan.Held rows, boolean rowLevel) {
    PartitionAudit p = new PartitionAudit(k.topic, k.partition);
    p.consumedWithoutRowCheck = Spans.union(recorded.notOnePerRecord);
    List<Span> present;
    if (rowLevel) {
      present = rows == null ? Collections.<Span>emptyList() : Spans.union(rows.runs);
      p.rows = rows == null ? 0 : rows.rows;
      if (rows != null) {
        p.duplicatedOffsets = rows.duplicatedOffsets;
        p.extraRows = rows.extraRows;
        p.duplicates = rows.duplicateRuns;
        p.duplicatesTruncated = rows.duplicateRunsTruncated;
      }
    } else {
      present = Spans.union(recorded.added);
      p.duplicates = Spans.overlaps(recorded.added);
      p.duplicatedOffsets = Spans.total(p.duplicates);
      p.extraRows = p.duplicatedOffsets;
    }
    long start = recorded.start();
    long next = recorded.next();
    if (!present.isEmpty()) {
      start = start < 0 ? present.get(0).from() : Math.min(start, present.get(0).from());
      if (next < 0) {
        next = present.get(present.size() - 1).until(); // no zdl commit: the rows are all there is to go by
      }
    }
    if (start >= 0 && next >= 0) {
      p.tableStart = start;
      p.tableNext = next;
      p.held = present;
      p.heldPastNext = Spans.intersect(present, Collections.singletonList(new Span(next, Long.MAX_VALUE)));
    }
    if (rowLevel) {
      // rows of a filter or explode prove nothing per offset, but two commits consuming one offset still do
      List<Span> twice = Spans.intersect(Spans.overlaps(recorded.added), p.consumedWithoutRowCheck);
      if (!twice.isEmpty()) {
        p.duplicatedOffsets += Spans.total(twice);
        p.extraRows += Spans.total(twice);
        List<Span> all = new ArrayList<>(p.duplicates);
        all.addAll(twice);
        p.duplicates = Spans.union(all);
      }
    }
    return p;
  }

  /** Finds the gaps of {@code p} in {@code [tableStart, tableNext)} and sorts them, reading Kafka where needed. */
  static void classifyGaps(PartitionAudit p, TableHistory.Recorded recorded, TableHistory history,
      KafkaGapReader reader, long timeoutMs) {
    if (p.tableNext == PartitionAudit.UNKNOWN) {
      return;
    }
    // offsets consumed by a filter or the like need no row: the commit's range is trusted
    List<Span> covered = new ArrayList<>(p.held);
    covered.addAll(p.consumedWithoutRowCheck);
    List<Span> holes = Spans.holes(new Span(p.tableStart, p.tableNext), covered);
    long trimmedBelow = -1;
    if (history.trimmed()) {
      trimmedBelow = recorded.start() < 0 ? p.tableNext : recorded.start();
    }
    GapClassifier.Plan plan = GapClassifier.plan(holes, recorded.allowedGaps, recorded.lost, p.kafkaLogStart,
        p.kafkaLastStable, trimmedBelow, history.firstVersion());
    List<ClassifiedGap> gaps = new ArrayList<>(plan.decided);
    gaps.addAll(GapClassifier.afterReading(plan.toRead,
        reader.read(p.topic, p.partition, plan.toRead, timeoutMs), timeoutMs));
    Collections.sort(gaps, new Comparator<ClassifiedGap>() {
      @Override
      public int compare(ClassifiedGap a, ClassifiedGap b) {
        return a.span().compareTo(b.span());
      }
    });
    p.gaps.addAll(gaps);
  }
}
