package io.zdl.spark.audit;

import io.zdl.spark.api.PublicApi;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The audit of one topic-partition: what the table holds, what it lacks and why, what it holds twice. */
@PublicApi
public final class PartitionAudit implements Serializable {
  /** Offset fields that are not known (no commit, not in Kafka). */
  public static final long UNKNOWN = -1;

  final String topic;
  final int partition;
  long tableStart = UNKNOWN;
  long tableNext = UNKNOWN;
  long rows = UNKNOWN;
  List<Span> held = Collections.emptyList();
  List<Span> heldPastNext = Collections.emptyList();
  final List<ClassifiedGap> gaps = new ArrayList<>();
  long duplicatedOffsets;
  long extraRows;
  List<Span> duplicates = Collections.emptyList();
  boolean duplicatesTruncated;
  List<Span> consumedWithoutRowCheck = Collections.emptyList();
  long kafkaLogStart = UNKNOWN;
  long kafkaLastStable = UNKNOWN;

  PartitionAudit(String topic, int partition) {
    this.topic = topic;
    this.partition = partition;
  }

  public String topic() {
    return topic;
  }

  public int partition() {
    return partition;
  }

  /** The first offset the table's commits (or rows) cover; {@link #UNKNOWN} if the table holds nothing of it. */
  public long tableStart() {
    return tableStart;
  }

  /** The next offset the table holds, as its zdl commits recorded (else one past the highest row). */
  public long tableNext() {
    return tableNext;
  }

  /** Rows of this partition in the table; {@link #UNKNOWN} without row-level checks. */
  public long rows() {
    return rows;
  }

  /** Runs of offsets present in the table (row level), or added by its commits (summary level). */
  public List<Span> held() {
    return held;
  }

  /** Offsets present in rows at or past {@link #tableNext()}: written by something other than zdl. */
  public List<Span> heldPastNext() {
    return heldPastNext;
  }

  /**
   * Offsets consumed by commits whose rows are not one per Kafka record (a filter, an explode, an
   * aggregation...): trusted from the commit summaries, their rows are not checked offset by offset.
   */
  public List<Span> consumedWithoutRowCheck() {
    return consumedWithoutRowCheck;
  }

  public List<ClassifiedGap> gaps() {
    return gaps;
  }

  public List<ClassifiedGap> gaps(ClassifiedGap.Kind kind) {
    List<ClassifiedGap> out = new ArrayList<>();
    for (ClassifiedGap g : gaps) {
      if (g.kind() == kind) {
        out.add(g);
      }
    }
    return out;
  }

  /** How many distinct offsets the table holds more than once. */
  public long duplicatedOffsets() {
    return duplicatedOffsets;
  }

  /** Rows beyond the first for each duplicated offset (summary level: offsets added twice). */
  public long extraRows() {
    return extraRows;
  }

  /** Runs of duplicated offsets; possibly only the first ones (see {@link #duplicatesTruncated()}). */
  public List<Span> duplicates() {
    return duplicates;
  }

  public boolean duplicatesTruncated() {
    return duplicatesTruncated;
  }

  public boolean inKafka() {
    return kafkaLogStart != UNKNOWN;
  }

  public long kafkaLogStart() {
    return kafkaLogStart;
  }

  /** Kafka's last stable offset: the end a read_committed consumer sees. */
  public long kafkaLastStable() {
    return kafkaLastStable;
  }

  /**
   * Offsets still ahead in Kafka (up to its last stable offset) past what the table holds; from the
   * log start when the table holds nothing of this partition; {@link #UNKNOWN} when not in Kafka.
   * Counts offsets, so transaction markers are included.
   */
  public long ahead() {
    if (!inKafka()) {
      return UNKNOWN;
    }
    long from = tableNext == UNKNOWN ? kafkaLogStart : Math.max(tableNext, kafkaLogStart);
    return Math.max(0, kafkaLastStable - from);
  }

  /**
   * Offsets past the table's end that Kafka dropped before the table got them (log start past
   * {@link #tableNext()}); empty otherwise. The query will meet them as data loss.
   */
  public List<Span> goneBeforeRead() {
    if (!inKafka() || tableNext == UNKNOWN || kafkaLogStart <= tableNext) {
      return Collections.emptyList();
    }
    return Collections.singletonList(new Span(tableNext, kafkaLogStart));
  }

  /**
   * Offsets Kafka still holds below the table's first offset (the query started past them, or never
   * read this partition): all of the partition up to its last stable offset when the table holds
   * nothing of it. Reported, not a problem: where a query starts is its own choice.
   */
  public List<Span> neverGot() {
    if (!inKafka()) {
      return Collections.emptyList();
    }
    long until = tableNext == UNKNOWN ? kafkaLastStable : Math.min(tableStart, kafkaLastStable);
    return kafkaLogStart < until ? Collections.singletonList(new Span(kafkaLogStart, until))
        : Collections.<Span>emptyList();
  }

  public boolean clean() {
    return duplicatedOffsets == 0 && gaps(ClassifiedGap.Kind.UNEXPLAINED).isEmpty();
  }

  @Override
  public String toString() {
    return topic + "-" + partition;
  }
}
