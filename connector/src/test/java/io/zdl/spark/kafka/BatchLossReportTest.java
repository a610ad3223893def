package io.zdl.spark.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zdl.spark.loss.DriverLossRecorder;
import io.zdl.spark.loss.LossCause;
import io.zdl.spark.loss.SkippedRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class BatchLossReportTest {
  private static final TopicPartition P = new TopicPartition("t", 0);

  private final DriverLossRecorder driverLosses = new DriverLossRecorder(null);
  private final Map<Long, List<SkippedRange>> ledger = new HashMap<>();
  private final List<Long> ledgerReads = new ArrayList<>();
  private final AtomicLong executorLostRanges = new AtomicLong();
  private final BatchLossReport report = new BatchLossReport(driverLosses, batchId -> {
    ledgerReads.add(batchId);
    List<SkippedRange> r = ledger.get(batchId);
    return r == null ? Collections.<SkippedRange>emptyList() : r;
  }, executorLostRanges::get);

  private static SkippedRange range(long from, long until, long batchId, SkippedRange.DetectedOn on) {
    return new SkippedRange(P, from, until, LossCause.OFFSETS_OUT_OF_RANGE, batchId, 1_000, on);
  }

  @Test
  void whatTheDriverFoundBeforePlanningBelongsToThePlannedBatch() {
    driverLosses.skipped(range(0, 5, SkippedRange.NO_BATCH, SkippedRange.DetectedOn.DRIVER));
    report.planned(2);
    List<SkippedRange> skipped = report.skippedIn(2);
    assertEquals(1, skipped.size());
    assertEquals(2, skipped.get(0).batchId());
    assertEquals(5, skipped.get(0).recordCount());
    assertEquals(Collections.emptyList(), report.skippedIn(3));
  }

  @Test
  void theFirstBatchOfARunReadsTheLedgerAndListsEachLossOnce() {
    driverLosses.skipped(range(0, 5, SkippedRange.NO_BATCH, SkippedRange.DetectedOn.DRIVER));
    report.planned(2);
    // the ledger holds the driver's range again (written at planning) and one an executor found before a restart
    ledger.put(2L, Arrays.asList(range(0, 5, 2, SkippedRange.DetectedOn.DRIVER),
        range(20, 25, 2, SkippedRange.DetectedOn.EXECUTOR)));
    List<SkippedRange> skipped = report.skippedIn(2);
    assertEquals(Collections.singletonList(2L), ledgerReads);
    assertEquals(2, skipped.size());
    assertEquals(SkippedRange.DetectedOn.EXECUTOR, skipped.get(1).detectedOn());
  }

  @Test
  void laterBatchesReadTheLedgerOnlyWhenExecutorsLostRangesSincePlanning() {
    report.planned(1);
    report.skippedIn(1); // the run's first batch: read
    report.planned(2);
    assertEquals(Collections.emptyList(), report.skippedIn(2));
    assertEquals(Collections.singletonList(1L), ledgerReads);

    report.planned(3);
    executorLostRanges.incrementAndGet();
    ledger.put(3L, Collections.singletonList(range(7, 9, 3, SkippedRange.DetectedOn.EXECUTOR)));
    assertEquals(1, report.skippedIn(3).size());
    assertEquals(Arrays.asList(1L, 3L), ledgerReads);
  }

  @Test
  void aBatchNotPlannedInThisRunReadsTheLedger() {
    report.planned(1);
    report.skippedIn(1);
    ledger.put(5L, Collections.singletonList(range(7, 9, 5, SkippedRange.DetectedOn.EXECUTOR)));
    assertEquals(1, report.skippedIn(5).size());
    assertEquals(Arrays.asList(1L, 5L), ledgerReads);
  }
}
