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
  private final DriverLossRecorder recorder = new DriverLossRecorder(null);
  private final OffsetLossDetector failing =
      new OffsetLossDetector(new DataLossPolicy(true, SkippedRange.DetectedOn.DRIVER, recorder));
  private final OffsetLossDetector skipping =
      new OffsetLossDetector(new DataLossPolicy(false, SkippedRange.DetectedOn.DRIVER, recorder));

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
    List<SkippedRange> recorded = recorder.flush(4);
    assertEquals(2, recorded.size(), recorded.toString());
    SkippedRange gone = recorded.get(0).cause() == LossCause.PARTITION_GONE ? recorded.get(0) : recorded.get(1);
    SkippedRange truncated = recorded.get(0) == gone ? recorded.get(1) : recorded.get(0);
    assertEquals(P1, gone.topicPartition());
    assertEquals(3, gone.fromOffset());
    assertTrue(!gone.endKnown());
    assertEquals(LossCause.LOG_TRUNCATED, truncated.cause());
    assertEquals(30, truncated.recordCount());
    assertEquals(4, truncated.batchId());
    long[] counts = recorder.takeCounts();
    assertEquals(30, counts[0], "a vanished partition's records cannot be counted");
    assertEquals(2, counts[1]);
    assertEquals(0, recorder.takeCounts()[1], "counts are taken once");
  }

  @Test
  void aLossSeenAtSeveralTriggersIsRecordedOnceWithItsWidestRange() {
    skipping.checkLatest(map(P0, 50), map(P0, 20));
    skipping.checkLatest(map(P0, 50), map(P0, 35)); // the log grew back part of the way
    skipping.checkLatest(map(P0, 50), map(P0, 10));
    List<SkippedRange> recorded = recorder.flush(9);
    assertEquals(1, recorded.size(), recorded.toString());
    assertEquals(10, recorded.get(0).fromOffset());
    assertEquals(50, recorded.get(0).untilOffset());
    // the same batch planned again finds the same loss: still one record
    skipping.checkLatest(map(P0, 50), map(P0, 10));
    assertTrue(recorder.flush(9).isEmpty());
    assertEquals(1, recorder.recordedIn(9).size());
    assertTrue(recorder.recordedIn(8).isEmpty());
  }

  @Test
  void aTopicWhoseIdChangedWasRecreated() {
    java.util.Map<String, String> known = java.util.Collections.singletonMap("orders", "id-old");
    java.util.Map<String, String> now = java.util.Collections.singletonMap("orders", "id-new");
    ZdlException e = assertThrows(ZdlException.class, () -> failing.checkTopicIds(map(P0, 20, P1, 0), known, now));
    assertEquals(ZdlErrors.DATA_LOSS_TOPIC_RECREATED, e.code());
    assertTrue(e.getMessage().contains("topic orders partition 0 offsets [0, 20)"), e.getMessage());
    assertEquals(java.util.Collections.singleton("orders"), skipping.checkTopicIds(map(P0, 20, P1, 0), known, now));
    List<SkippedRange> recorded = recorder.flush(3);
    assertEquals(1, recorded.size(), "partition 1 had read nothing: " + recorded);
    assertEquals(20, recorded.get(0).recordCount());
    // same id, or a topic seen for the first time: nothing
    assertTrue(skipping.checkTopicIds(map(P0, 20), now, now).isEmpty());
    assertTrue(skipping.checkTopicIds(map(P0, 20), java.util.Collections.<String, String>emptyMap(), now).isEmpty());
    assertTrue(recorder.flush(4).isEmpty());
  }

  @Test
  void failingRecordsNothing() {
    assertThrows(ZdlException.class, () -> failing.checkLatest(map(P0, 50), map(P0, 20)));
    assertTrue(recorder.flush(1).isEmpty());
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
    List<SkippedRange> recorded = recorder.flush(2);
    assertEquals(2, recorded.size(), recorded.toString());
    assertEquals(new OffsetRange(P0, 10, 40), asRange(recorded.get(0)));
    assertEquals(new OffsetRange(P0, 10, 100), asRange(recorded.get(1)));
    assertEquals(LossCause.OFFSETS_OUT_OF_RANGE, recorded.get(1).cause());
  }

  @Test
  void intactRangesPassUnchanged() {
    List<OffsetRange> ranges = Arrays.asList(new OffsetRange(P0, 10, 100));
    assertEquals(ranges, failing.checkRanges(ranges, map(P0, 10)));
  }

  private static OffsetRange asRange(SkippedRange r) {
    return new OffsetRange(r.topicPartition(), r.fromOffset(), r.untilOffset());
  }
}
