package io.zdl.spark.loss;

import java.io.Serializable;

/** Told of every range skipped under {@code failOnDataLoss=false}; records it (ledger, counters, log). */
public interface LossListener extends Serializable {
  void skipped(SkippedRange range);
}
