package io.zdl.spark.loss;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records ranges the driver skipped. Some are found while Spark asks for the next batch's end offset,
 * before that batch has an id, so findings wait here until the batch is planned ({@link #flush}),
 * then go to the ledger under that batch's id. A loss seen at several triggers (a truncated log
 * that has not grown back yet) is kept once, with its widest range.
 */
public final class DriverLossRecorder implements LossListener {
  private static final Logger LOG = LoggerFactory.getLogger(DriverLossRecorder.class);
  private static final int BATCHES_REMEMBERED = 50;

  private final transient LossLedger ledger;
  private final transient Map<PendingKey, SkippedRange> pending = new LinkedHashMap<>();
  private final transient LinkedHashMap<Long, List<SkippedRange>> recorded = new LinkedHashMap<>();
  private long recordsNotYetReported;
  private long rangesNotYetReported;

  public DriverLossRecorder(LossLedger ledger) {
    this.ledger = ledger;
  }

  @Override
  public synchronized void skipped(SkippedRange r) {
    PendingKey key = new PendingKey(r.topicPartition(), r.cause(), r.untilOffset());
    SkippedRange seen = pending.get(key);
    if (seen == null || r.fromOffset() < seen.fromOffset()) {
      pending.put(key, r);
    }
  }

  /** Records the pending findings as skipped in {@code batchId}; returns them. */
  public synchronized List<SkippedRange> flush(long batchId) {
    if (pending.isEmpty()) {
      return Collections.emptyList();
    }
    List<SkippedRange> forBatch = recorded.get(batchId);
    if (forBatch == null) {
      forBatch = new ArrayList<>();
      recorded.put(batchId, forBatch);
    }
    List<SkippedRange> flushed = new ArrayList<>();
    for (SkippedRange p : pending.values()) {
      if (contains(forBatch, p)) {
        continue; // the same batch planned twice: recorded already
      }
      SkippedRange r = new SkippedRange(p.topicPartition(), p.fromOffset(), p.untilOffset(), p.cause(), batchId,
          p.detectedAtMs(), SkippedRange.DetectedOn.DRIVER);
      if (ledger != null) {
        ledger.record(r); // first: a range the ledger refused is not skipped, so not logged as skipped
      }
      LOG.warn("[{}] Skipping topic {} partition {} offsets {} in batch {}: {} ({}=false; recorded in {})",
          r.cause().code(), r.topicPartition().topic(), r.topicPartition().partition(), r.rangeText(), batchId,
          r.cause().explanation(), DataLossPolicy.FAIL_ON_DATA_LOSS, ledger == null ? "the log only" : ledger.location());
      flushed.add(r);
      recordsNotYetReported += r.recordCount();
      rangesNotYetReported++;
    }
    pending.clear();
    forBatch.addAll(flushed);
    Iterator<Long> oldest = recorded.keySet().iterator();
    while (recorded.size() > BATCHES_REMEMBERED && oldest.hasNext()) {
      oldest.next();
      oldest.remove();
    }
    return flushed;
  }

  /** What the driver recorded for {@code batchId} in this JVM. */
  public synchronized List<SkippedRange> recordedIn(long batchId) {
    List<SkippedRange> r = recorded.get(batchId);
    return r == null ? Collections.<SkippedRange>emptyList() : new ArrayList<>(r);
  }

  /** Records and ranges skipped since the last call (for the progress report). */
  public synchronized long[] takeCounts() {
    long[] n = {recordsNotYetReported, rangesNotYetReported};
    recordsNotYetReported = 0;
    rangesNotYetReported = 0;
    return n;
  }

  static boolean contains(List<SkippedRange> ranges, SkippedRange r) {
    for (SkippedRange x : ranges) {
      if (x.sameLoss(r)) {
        return true;
      }
    }
    return false;
  }

  private static final class PendingKey {
    final TopicPartition tp;
    final LossCause cause;
    final long until;

    PendingKey(TopicPartition tp, LossCause cause, long until) {
      this.tp = tp;
      this.cause = cause;
      this.until = until;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PendingKey && ((PendingKey) o).tp.equals(tp) && ((PendingKey) o).cause == cause
          && ((PendingKey) o).until == until;
    }

    @Override
    public int hashCode() {
      return Objects.hash(tp, cause, until);
    }
  }
}
