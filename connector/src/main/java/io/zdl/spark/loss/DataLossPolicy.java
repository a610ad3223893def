package io.zdl.spark.loss;

import io.zdl.spark.error.ZdlException;
import java.io.Serializable;
import org.apache.kafka.common.TopicPartition;

/**
 * The one place that decides what lost offsets do: stop the query (the default), or, with
 * {@code failOnDataLoss=false}, skip them and hand each skipped range to a {@link LossListener}
 * that records it. Used on the driver while planning and on executors while reading.
 */
public final class DataLossPolicy implements Serializable {
  /**
   * The source option that chooses this policy, named in every loss message; declared here, below the
   * option classes, which take it from here ({@code KafkaSourceOptions.FAIL_ON_DATA_LOSS}).
   */
  public static final String FAIL_ON_DATA_LOSS = "failOnDataLoss";

  private final boolean failOnDataLoss;
  private final SkippedRange.DetectedOn detectedOn;
  private final LossListener listener; // null when failing: it would never be told

  public DataLossPolicy(boolean failOnDataLoss, SkippedRange.DetectedOn detectedOn, LossListener listener) {
    this.failOnDataLoss = failOnDataLoss;
    this.detectedOn = detectedOn;
    // a listener may hold the loss ledger and its Hadoop configuration (about 100 KB); every task's
    // reader factory carries this policy, so a failing one, which never tells it, leaves it behind
    this.listener = failOnDataLoss ? null : listener;
  }

  public boolean failOnDataLoss() {
    return failOnDataLoss;
  }

  /**
   * Reports that {@code [fromOffset, untilOffset)} of {@code tp} cannot be read; {@code untilOffset}
   * is {@link SkippedRange#UNKNOWN_END} when the partition vanished.
   *
   * @throws ZdlException when the policy is to fail (the default)
   */
  public void onLoss(TopicPartition tp, long fromOffset, long untilOffset, LossCause cause) {
    long batchId = detectedOn == SkippedRange.DetectedOn.EXECUTOR ? StreamingBatchId.ofCurrentTask() : SkippedRange.NO_BATCH;
    SkippedRange range = new SkippedRange(tp, fromOffset, untilOffset, cause, batchId, System.currentTimeMillis(),
        detectedOn);
    if (failOnDataLoss) {
      throw new ZdlException(cause.code(), String.format(
          "Cannot read topic %s partition %d offsets %s: %s. Nothing of this batch was written. "
              + "To skip lost records and continue, set %s=false (each skipped range is then recorded in the "
              + "checkpoint's loss ledger, counted as lostRecords in the query progress and, with zdl-delta, "
              + "kept in the table's commit history).",
          tp.topic(), tp.partition(), range.rangeText(), cause.explanation(), FAIL_ON_DATA_LOSS));
    }
    listener.skipped(range);
  }
}
