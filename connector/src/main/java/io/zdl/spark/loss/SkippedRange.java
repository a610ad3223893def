package io.zdl.spark.loss;

import io.zdl.spark.kafka.plan.OffsetRange;
import java.io.Serializable;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/**
 * Offsets a query skipped because Kafka no longer had them ({@code failOnDataLoss=false}): what the
 * loss ledger, the progress report and the zdl-delta commit record.
 */
public final class SkippedRange implements Serializable {
  /** {@link #untilOffset()} of a range whose end is unknown (a partition that vanished). */
  public static final long UNKNOWN_END = Long.MAX_VALUE;
  /** {@link #batchId()} when the range was found outside a micro-batch (a batch query). */
  public static final long NO_BATCH = -1;

  /** Where the loss was noticed. */
  public enum DetectedOn {
    DRIVER, EXECUTOR
  }

  /** The offsets skipped, validated once where every range is ({@link OffsetRange}). */
  private final OffsetRange range;
  private final LossCause cause;
  private final long batchId;
  private final long detectedAtMs;
  private final DetectedOn detectedOn;

  public SkippedRange(TopicPartition topicPartition, long fromOffset, long untilOffset, LossCause cause,
      long batchId, long detectedAtMs, DetectedOn detectedOn) {
    this.range = new OffsetRange(topicPartition, fromOffset, untilOffset);
    this.cause = cause;
    this.batchId = batchId;
    this.detectedAtMs = detectedAtMs;
    this.detectedOn = detectedOn;
  }

  public OffsetRange range() {
    return range;
  }

  public TopicPartition topicPartition() {
    return range.topicPartition();
  }

  public long fromOffset() {
    return range.fromOffset();
  }

  /** Exclusive; {@link #UNKNOWN_END} when the partition vanished. */
  public long untilOffset() {
    return range.untilOffset();
  }

  public boolean endKnown() {
    return range.untilOffset() != UNKNOWN_END;
  }

  /** Records skipped; 0 when the end is unknown (they cannot be counted). */
  public long recordCount() {
    return endKnown() ? range.size() : 0;
  }

  public LossCause cause() {
    return cause;
  }

  public long batchId() {
    return batchId;
  }

  public long detectedAtMs() {
    return detectedAtMs;
  }

  public DetectedOn detectedOn() {
    return detectedOn;
  }

  /** Same offsets and cause: one loss, however often and wherever it was noticed. */
  public boolean sameLoss(SkippedRange o) {
    return range.equals(o.range) && cause == o.cause;
  }

  public String rangeText() {
    return "[" + fromOffset() + ", " + (endKnown() ? Long.toString(untilOffset()) : "end") + ")";
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof SkippedRange)) {
      return false;
    }
    SkippedRange r = (SkippedRange) o;
    return sameLoss(r) && batchId == r.batchId && detectedAtMs == r.detectedAtMs && detectedOn == r.detectedOn;
  }

  @Override
  public int hashCode() {
    return Objects.hash(range, cause);
  }

  @Override
  public String toString() {
    return topicPartition() + rangeText() + " " + cause + " (batch " + batchId + ", " + detectedOn + ")";
  }
}
