package io.zdl.spark.loss;

import org.apache.spark.TaskContext;

/**
 * The micro-batch a task belongs to. Spark puts the batch id in the job's local properties before
 * it plans and runs a batch, and tasks inherit them.
 */
public final class StreamingBatchId {
  /** Spark's key (MicroBatchExecution.BATCH_ID_KEY), the same in Spark 3.4 and 3.5. */
  static final String PROPERTY = "streaming.sql.batchId";

  private StreamingBatchId() {}

  /** The current task's batch id, or {@link SkippedRange#NO_BATCH} outside a micro-batch task. */
  public static long ofCurrentTask() {
    TaskContext task = TaskContext.get();
    return task == null ? SkippedRange.NO_BATCH : parse(task.getLocalProperty(PROPERTY));
  }

  /** The batch id the driver thread is planning or running, or {@link SkippedRange#NO_BATCH}. */
  public static long ofDriverThread(org.apache.spark.SparkContext sc) {
    return parse(sc.getLocalProperty(PROPERTY));
  }

  static long parse(String value) {
    if (value == null) {
      return SkippedRange.NO_BATCH;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return SkippedRange.NO_BATCH;
    }
  }
}
