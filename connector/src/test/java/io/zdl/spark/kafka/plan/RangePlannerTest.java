package io.zdl.spark.kafka.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.zdl.spark.kafka.offset.TestOffsets.map;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class RangePlannerTest {
  private static final TopicPartition A0 = new TopicPartition("a", 0);
  private static final TopicPartition A1 = new TopicPartition("a", 1);
  private static final TopicPartition B0 = new TopicPartition("b", 0);

  @Test
  void oneRangePerPartitionWithNewData() {
    List<OffsetRange> ranges = RangePlanner.plan(map(A0, 10, A1, 5), map(A0, 20, A1, 5, B0, 3), 0, null);
    assertEquals(Arrays.asList(new OffsetRange(A0, 10, 20), new OffsetRange(B0, 0, 3)), ranges);
  }

  @Test
  void planningTheSameOffsetsTwiceGivesTheSameRanges() {
    Map<TopicPartition, Long> start = map(A0, 10, A1, 5, B0, 0);
    Map<TopicPartition, Long> end = map(A0, 1000, A1, 77, B0, 3);
    for (Integer minPartitions : new Integer[] {null, 1, 4, 13, 500}) {
      assertEquals(RangePlanner.plan(start, end, 0, minPartitions),
          RangePlanner.plan(new HashMap<>(start), new HashMap<>(end), 0, minPartitions), "minPartitions=" + minPartitions);
    }
  }

  @Test
  void minPartitionsSplitsIntoContiguousPiecesCoveringEveryOffset() {
    Map<TopicPartition, Long> start = map(A0, 0, A1, 100);
    Map<TopicPartition, Long> end = map(A0, 1000, A1, 110);
    List<OffsetRange> ranges = RangePlanner.plan(start, end, 0, 8);
    assertTrue(ranges.size() >= 8, ranges.toString());
    long nextA0 = 0;
    long nextA1 = 100;
    for (OffsetRange r : ranges) {
      assertTrue(r.size() > 0, r.toString());
      if (r.topicPartition().equals(A0)) {
        assertEquals(nextA0, r.fromOffset());
        nextA0 = r.untilOffset();
      } else {
        assertEquals(nextA1, r.fromOffset());
        nextA1 = r.untilOffset();
      }
    }
    assertEquals(1000, nextA0);
    assertEquals(110, nextA1);
  }

  @Test
  void maxRecordsPerPartitionSplitsEachRangeIntoContiguousPiecesOfAtMostThatMany() {
    // as Spark 4's kafka source: ceil(size / max) even pieces per range, then minPartitions on the result
    List<OffsetRange> ranges = RangePlanner.plan(map(A0, 0, A1, 100), map(A0, 10, A1, 103), 0, null, 4L);
    assertEquals(Arrays.asList(new OffsetRange(A0, 0, 4), new OffsetRange(A0, 4, 7), new OffsetRange(A0, 7, 10),
        new OffsetRange(A1, 100, 103)), ranges);
    List<OffsetRange> more = RangePlanner.plan(map(A0, 0, A1, 100), map(A0, 10, A1, 103), 0, 8, 4L);
    assertTrue(more.size() >= 8, more.toString());
    for (OffsetRange r : more) {
      assertTrue(r.size() > 0 && r.size() <= 4, more.toString());
    }
    assertEquals(RangePlanner.plan(map(A0, 0), map(A0, 10), 0, null, 4L),
        RangePlanner.plan(map(A0, 0), map(A0, 10), 0, null, 4L), "the same offsets give the same ranges");
  }

  @Test
  void minPartitionsNeverSplitsBelowOneOffset() {
    List<OffsetRange> ranges = RangePlanner.plan(map(A0, 0), map(A0, 3), 0, 10);
    assertEquals(Arrays.asList(new OffsetRange(A0, 0, 1), new OffsetRange(A0, 1, 2), new OffsetRange(A0, 2, 3)), ranges);
  }

  @Test
  void partitionsWithoutStartUseTheNewPartitionStart() {
    assertEquals(Arrays.asList(new OffsetRange(B0, 0, 9)), RangePlanner.plan(map(), map(B0, 9), 0, null));
  }
}
