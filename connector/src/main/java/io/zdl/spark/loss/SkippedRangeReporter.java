package io.zdl.spark.loss;

import java.util.List;

/**
 * A streaming source that can say which ranges it skipped as lost in a micro-batch, so a sink can
 * record them with the batch's data (zdl-delta puts them in the commit summary).
 */
public interface SkippedRangeReporter {
  /** The ranges skipped in {@code batchId}, each once; called on the driver after the batch's tasks ran. */
  List<SkippedRange> skippedInBatch(long batchId);
}
