package io.zdl.spark.loss;

import java.io.Serializable;

/**
 * Counts the records of each skipped range for the query progress. The reader's counters
 * ({@code io.zdl.spark.kafka.read.ReadCounters}) are one; declared here so that loss needs nothing of read.
 */
public interface LostRecordsCounter extends Serializable {
  /** One more range skipped, of {@code recordCount} records. */
  void addLost(long recordCount);
}
