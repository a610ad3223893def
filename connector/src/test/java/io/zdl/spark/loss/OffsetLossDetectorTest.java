package io.zdl.spark.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.zdl.spark.kafka.offset.TestOffsets.map;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.plan.OffsetRange;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class OffsetLossDetectorTest {
  private static final TopicPartition P0 = new TopicPartition("orders", 0);
  private static final TopicPartition P1 = new TopicPartition("orders", 1);
  private final OffsetLossDetector failing = new OffsetLossDetector(new DataLossPolicy(true));
  private final OffsetLossDetector skipping = new OffsetLossDetector(new DataLossPolicy(false));

  @Test
  void vanishedPartitionStopsTheQueryNamingIt() {
    ZdlException e = assertThrows(ZdlException.class, () -> failing.checkLatest(map(P0, 5, P1, 9), map(P0, 7)));
    assertEquals(ZdlErrors.DATA_LOSS_PARTITION_GONE, e.code());
    assertTrue(e.getMessage().contains("topic orders partition 1 offsets [9, end)"), e.getMessage());
    assertTrue(e.getMessage().contains("failOnDataLoss=false"), e.getMessage());
  }

  @Test
  void logEndBelowTheNextOffsetIsTruncation() {
    ZdlException e = assertThrows(ZdlException.class, () -> failing.checkLatest(map(P0, 50), map(P0, 20)));
    assertEquals(ZdlErrors.DATA_LOSS_LOG_TRUNCATED, e.code());
    assertTrue(e.getMessage().contains("offsets [20, 50)"), e.getMessage());
  }

  @Test
  void skippingKeepsOffsetsMonotonicAndDropsVanishedPartitions() {
    assertEquals(map(P0, 50), skipping.checkLatest(map(P0, 50, P1, 3), map(P0, 20)));
  }

  @Test
  void rangeBelowTheLogStartIsOutOfRange() {
    List<OffsetRange> ranges = Arrays.asList(new OffsetRange(P0, 10, 100), new OffsetRange(P1, 0, 5));
    ZdlException e = assertThrows(ZdlException.class, () -> failing.checkRanges(ranges, map(P0, 40, P1, 0)));
    assertEquals(ZdlErrors.DATA_LOSS_OUT_OF_RANGE, e.code());
    assertTrue(e.getMessage().contains("topic orders partition 0 offsets [10, 40)"), e.getMessage());
    assertEquals(Arrays.asList(new OffsetRange(P0, 40, 100), new OffsetRange(P1, 0, 5)),
        skipping.checkRanges(ranges, map(P0, 40, P1, 0)));
    assertEquals(Collections.singletonList(new OffsetRange(P1, 0, 5)),
        skipping.checkRanges(ranges, map(P0, 500, P1, 0)));
  }

  @Test
  void intactRangesPassUnchanged() {
    List<OffsetRange> ranges = Arrays.asList(new OffsetRange(P0, 10, 100));
    assertEquals(ranges, failing.checkRanges(ranges, map(P0, 10)));
  }
}
