package io.zdl.spark.audit;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.loss.SkippedRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Sorts a partition's gaps into recorded losses, transaction gaps, unverifiable and unexplained gaps.
 * Pure: the Kafka read in between is {@link KafkaGapReader}'s. First what the table's commits
 * recorded; then what commits removed by Delta's log retention covered; then, for the rest, where
 * Kafka cannot be asked; what remains is read in Kafka.
 */
final class GapClassifier {
  /** What could be decided without reading Kafka, and the gaps left to read. */
  static final class Plan {
    final List<ClassifiedGap> decided = new ArrayList<>();
    final List<Span> toRead = new ArrayList<>();
  }

  private GapClassifier() {}

  /** {@link #plan(List, List, List, long, long, long, long)} for a table whose history is whole. */
  static Plan plan(List<Span> gaps, List<Span> allowedGaps, List<SkippedRange> lost, long logStart, long lastStable) {
    return plan(gaps, allowedGaps, lost, logStart, lastStable, -1, 0);
  }

  /**
   * @param logStart Kafka's log start offset, or -1 when the partition is not in Kafka
   * @param lastStable Kafka's last stable offset (read_committed end), or -1 when not in Kafka
   * @param trimmedBelow offsets below it were covered only by commits Delta's log retention removed; -1 when none
   * @param firstVersion the oldest version left in the table's history
   */
  static Plan plan(List<Span> gaps, List<Span> allowedGaps, List<SkippedRange> lost, long logStart, long lastStable,
      long trimmedBelow, long firstVersion) {
    Plan plan = new Plan();
    List<Span> recorded = new ArrayList<>(allowedGaps);
    for (Span s : Spans.intersect(gaps, allowedGaps)) {
      plan.decided.add(new ClassifiedGap(s, ClassifiedGap.Kind.RECORDED_LOSS,
          "the sink was allowed to leave it (allowOffsetGaps=true)", ZdlErrors.SINK_OFFSET_GAP));
    }
    for (SkippedRange r : lost) {
      Span lostSpan = new Span(r.fromOffset(), r.untilOffset());
      recorded.add(lostSpan);
      for (Span s : Spans.intersect(Spans.minus(gaps, allowedGaps), Collections.singletonList(lostSpan))) {
        plan.decided.add(new ClassifiedGap(s, ClassifiedGap.Kind.RECORDED_LOSS,
            "skipped by the source as lost (failOnDataLoss=false): " + r.cause().explanation(), r.cause().code()));
      }
    }
    List<Span> rest = Spans.minus(gaps, recorded);
    if (trimmedBelow > 0) {
      // their summaries are gone: a filter, a recorded loss or a real loss look the same now
      List<Span> trimmed = Spans.intersect(rest, Collections.singletonList(new Span(0, trimmedBelow)));
      for (Span s : trimmed) {
        plan.decided.add(unverifiable(s, "the commits that consumed it were removed by Delta's log retention "
            + "(history starts at version " + firstVersion + "): whether its records were filtered out, "
            + "recorded as lost or lost can no longer be told"));
      }
      rest = Spans.minus(rest, trimmed);
    }
    if (logStart < 0) {
      for (Span s : rest) {
        plan.decided.add(unexplained(s, "the partition is not in Kafka any more, and no loss was recorded"));
      }
      return plan;
    }
    for (Span s : Spans.intersect(rest, Collections.singletonList(new Span(0, logStart)))) {
      // failing here would fail every audit from now on, whatever happened: say it cannot be told
      plan.decided.add(unverifiable(s, "below Kafka's log start offset " + logStart
          + ": Kafka can no longer say whether it held committed records there (or only transaction markers "
          + "and aborted records), and no loss was recorded"));
    }
    for (Span s : Spans.intersect(rest, Collections.singletonList(new Span(lastStable, Long.MAX_VALUE)))) {
      plan.decided.add(unexplained(s, "at or past Kafka's last stable offset " + lastStable
          + " (the log end under read_committed), though the table's commits cover it"));
    }
    if (logStart < lastStable) {
      plan.toRead.addAll(Spans.intersect(rest, Collections.singletonList(new Span(logStart, lastStable))));
    }
    return plan;
  }

  /** Classifies the gaps of {@code plan.toRead} by what {@link KafkaGapReader} found in them. */
  static List<ClassifiedGap> afterReading(List<Span> toRead, KafkaGapReader.Reading reading, long timeoutMs) {
    List<ClassifiedGap> out = new ArrayList<>();
    for (int i = 0; i < toRead.size(); i++) {
      long found = reading.committedRecords[i];
      Span s = toRead.get(i);
      if (found == 0) {
        out.add(new ClassifiedGap(s, ClassifiedGap.Kind.TRANSACTION_GAP,
            "Kafka holds no committed record there: transaction markers, aborted records, or records compacted away",
            null));
      } else if (found > 0) {
        out.add(unexplained(s, "Kafka holds " + found + " committed record(s) there that the table lacks"));
      } else {
        out.add(unexplained(s, "not read to its end within " + AuditOptions.GAP_CHECK_TIMEOUT_MS + "=" + timeoutMs
            + "; run the audit again with a longer timeout"));
      }
    }
    return out;
  }

  private static ClassifiedGap unverifiable(Span s, String reason) {
    return new ClassifiedGap(s, ClassifiedGap.Kind.UNVERIFIABLE, reason, null);
  }

  private static ClassifiedGap unexplained(Span s, String reason) {
    return new ClassifiedGap(s, ClassifiedGap.Kind.UNEXPLAINED, reason, null);
  }
}
