package io.zdl.spark.delta;

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

class OverlapGuardTest {
  private static final TopicPartition P0 = new TopicPartition("orders", 0);
  private static final TopicPartition P1 = new TopicPartition("orders", 1);

  @Test
  void partitionsTheTableDoesNotKnowOrThatContinueItAreWrittenWhole() {
    List<OffsetRange> ranges = Arrays.asList(new OffsetRange(P0, 100, 140), new OffsetRange(P1, 0, 10));
    WritePlan plan = OverlapGuard.plan(ranges, map(P0, 100), false, "t");
    assertTrue(plan.writesAllRows());
    assertEquals(map(P0, 140, P1, 10), plan.newNextOffsets());
    assertEquals(ranges, plan.added());
  }

  @Test
  void aBatchTheTableAlreadyHoldsCommitsNothing() {
    WritePlan plan = OverlapGuard.plan(Arrays.asList(new OffsetRange(P0, 100, 140)), map(P0, 140), false, "t");
    assertTrue(plan.nothingToCommit());
    plan = OverlapGuard.plan(Arrays.asList(new OffsetRange(P0, 0, 40)), map(P0, 500), false, "t");
    assertTrue(plan.nothingToCommit());
    assertEquals(map(P0, 40), plan.dropBelow());
  }

  @Test
  void anOverlappingBatchWritesOnlyTheNewOffsets() {
    List<OffsetRange> ranges = Arrays.asList(new OffsetRange(P0, 100, 140), new OffsetRange(P1, 0, 10));
    WritePlan plan = OverlapGuard.plan(ranges, map(P0, 120, P1, 50), false, "t");
    assertEquals(map(P0, 120, P1, 10), plan.dropBelow());
    assertEquals(map(P0, 140), plan.newNextOffsets());
    assertEquals(Collections.singletonList(new OffsetRange(P0, 120, 140)), plan.added());
  }

  @Test
  void aGapIsRefusedNamingTheMissingRangeAndTheFix() {
    ZdlException e = assertThrows(ZdlException.class,
        () -> OverlapGuard.plan(Arrays.asList(new OffsetRange(P0, 150, 160)), map(P0, 140), false, "/tables/x"));
    assertEquals(ZdlErrors.SINK_OFFSET_GAP, e.code());
    assertTrue(e.getMessage().contains("[140, 150)") && e.getMessage().contains("startingOffsetsFromTable=/tables/x")
        && e.getMessage().contains("allowOffsetGaps=true"), e.getMessage());
  }

  @Test
  void anAllowedGapIsWrittenAndRecorded() {
    WritePlan plan = OverlapGuard.plan(Arrays.asList(new OffsetRange(P0, 150, 160)), map(P0, 140), true, "t");
    assertEquals(map(P0, 160), plan.newNextOffsets());
    assertEquals(Collections.singletonList(new OffsetRange(P0, 140, 150)), plan.gaps());
  }

  @Test
  void anEmptyRangeRecordsThePositionOfAPartitionTheTableDoesNotKnow() {
    WritePlan plan = OverlapGuard.plan(Arrays.asList(new OffsetRange(P0, 5, 5), new OffsetRange(P1, 0, 3)),
        map(P1, 0), false, "t");
    assertEquals(map(P0, 5, P1, 3), plan.newNextOffsets());
    assertEquals(Collections.singletonList(new OffsetRange(P1, 0, 3)), plan.added(), "no empty range in the summary");
    assertTrue(plan.writesAllRows());
  }

  @Test
  void anEmptyRangeAtOrBehindTheTablesPositionChangesNothing() {
    WritePlan plan = OverlapGuard.plan(Arrays.asList(new OffsetRange(P0, 5, 5), new OffsetRange(P1, 2, 2)),
        map(P0, 5, P1, 9), false, "t");
    assertTrue(plan.nothingToCommit());
    assertTrue(plan.writesAllRows(), "nothing to filter");
  }

  @Test
  void anEmptyRangePastTheTablesEndIsAGapLikeAnyOther() {
    ZdlException e = assertThrows(ZdlException.class,
        () -> OverlapGuard.plan(Arrays.asList(new OffsetRange(P0, 30, 30)), map(P0, 20), false, "t"));
    assertEquals(ZdlErrors.SINK_OFFSET_GAP, e.code());
    WritePlan allowed = OverlapGuard.plan(Arrays.asList(new OffsetRange(P0, 30, 30)), map(P0, 20), true, "t");
    assertEquals(map(P0, 30), allowed.newNextOffsets());
    assertEquals(Collections.singletonList(new OffsetRange(P0, 20, 30)), allowed.gaps());
  }
}
