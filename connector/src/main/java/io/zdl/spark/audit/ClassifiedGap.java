package io.zdl.spark.audit;

import io.zdl.spark.api.PublicApi;
import java.io.Serializable;

/** Offsets missing from the table, with why (a recorded loss's cause, or what Kafka holds there). */
@PublicApi
public final class ClassifiedGap implements Serializable {
  /** The three kinds of gap the audit tells apart. */
  public enum Kind {
    /** Recorded in the table's commits: skipped as lost by the source, or allowed by the sink (allowOffsetGaps). */
    RECORDED_LOSS,
    /** Kafka holds no committed record there: transaction markers, aborted records, or records compacted away. */
    TRANSACTION_GAP,
    /** Kafka holds committed records there, or cannot be asked (below its log start, not read in time), and nothing was recorded. */
    UNEXPLAINED,
    /** Cannot be judged any more: below Kafka's log start, or covered by commits Delta's log retention removed. */
    UNVERIFIABLE
  }

  private final Span span;
  private final Kind kind;
  private final String reason;
  private final String code;

  ClassifiedGap(Span span, Kind kind, String reason, String code) {
    this.span = span;
    this.kind = kind;
    this.reason = reason;
    this.code = code;
  }

  public Span span() {
    return span;
  }

  public Kind kind() {
    return kind;
  }

  /** Why, in words. */
  public String reason() {
    return reason;
  }

  /** A recorded loss's error code (e.g. ZDL_DATA_LOSS.OFFSETS_OUT_OF_RANGE), else null. */
  public String code() {
    return code;
  }

  @Override
  public String toString() {
    return span + " " + kind + ": " + reason;
  }
}
