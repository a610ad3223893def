package io.zdl.spark.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.loss.LossCause;
import io.zdl.spark.loss.SkippedRange;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class GapClassifierTest {
  private static final TopicPartition TP = new TopicPartition("t", 0);

  private static Span s(long from, long until) {
    return new Span(from, until);
  }

  private static List<String> describe(List<ClassifiedGap> gaps) {
    List<String> out = new ArrayList<>();
    for (ClassifiedGap g : gaps) {
      out.add(g.span() + " " + g.kind() + (g.code() == null ? "" : " " + g.code()));
    }
    return out;
  }

  @Test
  void recordedRangesAreLossesAndOnlyTheRestIsReadInKafka() {
    SkippedRange lost = new SkippedRange(TP, 10, 20, LossCause.OFFSETS_OUT_OF_RANGE, 3, 0L, SkippedRange.DetectedOn.DRIVER);
    GapClassifier.Plan plan = GapClassifier.plan(Arrays.asList(s(10, 25), s(40, 41), s(50, 52)),
        Collections.singletonList(s(50, 51)), Collections.singletonList(lost), 0, 100);
    assertEquals(Arrays.asList(s(50, 51) + " RECORDED_LOSS " + ZdlErrors.SINK_OFFSET_GAP,
        s(10, 20) + " RECORDED_LOSS " + ZdlErrors.DATA_LOSS_OUT_OF_RANGE), describe(plan.decided));
    assertEquals(Arrays.asList(s(20, 25), s(40, 41), s(51, 52)), plan.toRead);
  }

  @Test
  void unrecordedGapsBelowTheLogStartAreUnverifiableAndPastTheLastStableOffsetUnexplainedWithoutReading() {
    GapClassifier.Plan plan = GapClassifier.plan(Arrays.asList(s(0, 5), s(7, 8), s(9, 12)),
        Collections.<Span>emptyList(), Collections.<SkippedRange>emptyList(), 3, 10);
    assertEquals(Arrays.asList(s(0, 3) + " UNVERIFIABLE", s(10, 12) + " UNEXPLAINED"), describe(plan.decided));
    assertEquals(Arrays.asList(s(3, 5), s(7, 8), s(9, 10)), plan.toRead);
  }

  @Test
  void gapsOnlyCommitsRemovedByLogRetentionCoveredAreUnverifiableWithoutReadingButRecordedOnesStayLosses() {
    SkippedRange lost = new SkippedRange(TP, 2, 3, LossCause.OFFSETS_OUT_OF_RANGE, 3, 0L, SkippedRange.DetectedOn.DRIVER);
    GapClassifier.Plan plan = GapClassifier.plan(Arrays.asList(s(2, 3), s(5, 6), s(20, 22), s(30, 31)),
        Collections.<Span>emptyList(), Collections.singletonList(lost), 0, 100, 21, 7);
    assertEquals(Arrays.asList(s(2, 3) + " RECORDED_LOSS " + ZdlErrors.DATA_LOSS_OUT_OF_RANGE,
        s(5, 6) + " UNVERIFIABLE", s(20, 21) + " UNVERIFIABLE"), describe(plan.decided));
    assertTrue(plan.decided.get(1).reason().contains("history starts at version 7"), plan.decided.get(1).reason());
    assertEquals(Arrays.asList(s(21, 22), s(30, 31)), plan.toRead);
  }

  @Test
  void aPartitionGoneFromKafkaLeavesEveryUnrecordedGapUnexplained() {
    GapClassifier.Plan plan = GapClassifier.plan(Collections.singletonList(s(4, 6)),
        Collections.<Span>emptyList(), Collections.<SkippedRange>emptyList(), -1, -1);
    assertEquals(Collections.singletonList(s(4, 6) + " UNEXPLAINED"), describe(plan.decided));
    assertEquals(Collections.emptyList(), plan.toRead);
  }

  @Test
  void whatKafkaHoldsInAGapDecidesItsKind() {
    KafkaGapReader.Reading reading = new KafkaGapReader.Reading(3);
    reading.committedRecords[0] = 0;
    reading.committedRecords[1] = 2;
    reading.committedRecords[2] = -1;
    assertEquals(Arrays.asList(s(1, 2) + " TRANSACTION_GAP", s(5, 8) + " UNEXPLAINED", s(9, 10) + " UNEXPLAINED"),
        describe(GapClassifier.afterReading(Arrays.asList(s(1, 2), s(5, 8), s(9, 10)), reading, 1000)));
  }
}
