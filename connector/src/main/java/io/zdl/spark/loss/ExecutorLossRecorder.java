package io.zdl.spark.loss;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records a range an executor skipped: a WARN line, the ledger entry (streaming queries; batch
 * reads have no checkpoint) and the lost-records counters the driver reports.
 */
public final class ExecutorLossRecorder implements LossListener {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorLossRecorder.class);

  private final LossLedger ledger; // null in batch reads
  private final LostRecordsCounter counters;

  public ExecutorLossRecorder(LossLedger ledger, LostRecordsCounter counters) {
    this.ledger = ledger;
    this.counters = counters;
  }

  @Override
  public void skipped(SkippedRange r) {
    if (ledger != null) {
      ledger.record(r); // first: a range the ledger refused is not skipped, so not logged as skipped
    }
    LOG.warn("[{}] Skipping topic {} partition {} offsets {} in batch {}: {} ({}=false)", r.cause().code(),
        r.topicPartition().topic(), r.topicPartition().partition(), r.rangeText(), r.batchId(),
        r.cause().explanation(), DataLossPolicy.FAIL_ON_DATA_LOSS);
    counters.addLost(r.recordCount());
  }
}
