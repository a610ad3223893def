package io.zdl.spark.kafka;

import io.zdl.spark.loss.DriverLossRecorder;
import io.zdl.spark.loss.SkippedRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * The ranges a stream skipped as lost in each micro-batch, for the sink to record with the batch's data:
 * the driver's from memory; the executors' from the ledger, read only when the executors reported a loss
 * since the batch was planned, or when the batch may be a replay of one that ran before a restart.
 */
final class BatchLossReport {
  private static final int BATCHES_REMEMBERED = 100;
  private static final int BATCHES_KEPT_WHEN_FULL = 50;

  private final DriverLossRecorder driverLosses;
  private final LongFunction<List<SkippedRange>> ledgerForBatch;
  private final LongSupplier executorLostRanges;
  private final Map<Long, Long> executorLostRangesAtPlanning = new HashMap<>();
  private boolean firstBatchOfThisRun = true;

  /**
   * {@code ledgerForBatch} reads the loss ledger's ranges of a batch; {@code executorLostRanges} counts the
   * ranges executors skipped so far in this run.
   */
  BatchLossReport(DriverLossRecorder driverLosses, LongFunction<List<SkippedRange>> ledgerForBatch,
      LongSupplier executorLostRanges) {
    this.driverLosses = driverLosses;
    this.ledgerForBatch = ledgerForBatch;
    this.executorLostRanges = executorLostRanges;
  }

  /** Spark sets the batch id before it plans the batch: losses the driver found up to now belong to it. */
  void planned(long batchId) {
    driverLosses.flush(batchId);
    synchronized (executorLostRangesAtPlanning) {
      executorLostRangesAtPlanning.put(batchId, executorLostRanges.getAsLong());
      if (executorLostRangesAtPlanning.size() > BATCHES_REMEMBERED) {
        executorLostRangesAtPlanning.keySet().removeIf(b -> b < batchId - BATCHES_KEPT_WHEN_FULL);
      }
    }
  }

  /** The ranges skipped in {@code batchId}, each once; called after the batch's tasks ran. */
  List<SkippedRange> skippedIn(long batchId) {
    List<SkippedRange> result = new ArrayList<>(driverLosses.recordedIn(batchId));
    Long atPlanning;
    synchronized (executorLostRangesAtPlanning) {
      atPlanning = executorLostRangesAtPlanning.get(batchId);
    }
    boolean executorsLost = atPlanning == null || executorLostRanges.getAsLong() > atPlanning;
    if (executorsLost || firstBatchOfThisRun) {
      for (SkippedRange r : ledgerForBatch.apply(batchId)) {
        boolean known = false;
        for (SkippedRange x : result) {
          known |= x.sameLoss(r);
        }
        if (!known) {
          result.add(r);
        }
      }
    }
    firstBatchOfThisRun = false;
    return result;
  }
}
