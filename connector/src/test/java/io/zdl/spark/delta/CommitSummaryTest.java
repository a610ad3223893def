package io.zdl.spark.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.plan.OffsetRange;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import org.apache.kafka.common.TopicPartition;
import io.zdl.spark.loss.LossCause;
import io.zdl.spark.loss.SkippedRange;
import org.junit.jupiter.api.Test;

class CommitSummaryTest {
  private static final TopicPartition P0 = new TopicPartition("orders", 0);

  @Test
  void roundTrip() {
    CommitSummary s = new CommitSummary("sink-1", 7, Arrays.asList(new OffsetRange(P0, 1, 5)),
        Collections.singletonList(new OffsetRange(new TopicPartition("orders", 2), 0, 3)),
        Collections.singletonList(new SkippedRange(P0, 0, 1, LossCause.OFFSETS_OUT_OF_RANGE, 7, 1000L,
            SkippedRange.DetectedOn.EXECUTOR)));
    CommitSummary back = CommitSummary.fromJson(s.toJson());
    assertEquals("sink-1", back.sinkId());
    assertEquals(7, back.batchId());
    assertEquals(s.added(), back.added());
    assertEquals(s.gaps(), back.gaps());
    assertEquals(s.lost(), back.lost());
  }

  @Test
  void versionOneFixtureIsReadBackForever() throws IOException {
    String json = resource("/fixtures/zdl-delta-commit-summary-v1.json").trim();
    CommitSummary s = CommitSummary.fromJson(json);
    assertEquals("orders-sink", s.sinkId());
    assertEquals(42, s.batchId());
    assertEquals(Arrays.asList(new OffsetRange(P0, 100, 140), new OffsetRange(new TopicPartition("orders", 3), 7, 9)),
        s.added());
    assertEquals(Collections.singletonList(new OffsetRange(new TopicPartition("orders", 1), 20, 30)), s.gaps());
    assertTrue(s.lost().isEmpty(), "version 1 had no lost ranges");
    assertEquals(CommitSummary.Rows.NOT_RECORDED, s.rows());
  }

  @Test
  void versionTwoFixtureIsReadBackForever() throws IOException {
    String json = resource("/fixtures/zdl-delta-commit-summary-v2.json").trim();
    CommitSummary s = CommitSummary.fromJson(json);
    assertEquals(43, s.batchId());
    assertEquals(2, s.lost().size());
    SkippedRange retention = s.lost().get(0);
    assertEquals(new TopicPartition("orders", 2), retention.topicPartition());
    assertEquals(25, retention.recordCount());
    assertEquals(LossCause.OFFSETS_OUT_OF_RANGE, retention.cause());
    SkippedRange gone = s.lost().get(1);
    assertFalse(gone.endKnown());
    assertEquals(SkippedRange.DetectedOn.EXECUTOR, gone.detectedOn());
    assertEquals(CommitSummary.Rows.NOT_RECORDED, s.rows(), "version 2 did not say how rows relate to records");
    // written again, it is the same summary in the current version, still without the rows relation
    assertEquals(json.replace("\"version\":2", "\"version\":3"), s.toJson());
  }

  @Test
  void versionThreeFixtureIsReadBackForever() throws IOException {
    String json = resource("/fixtures/zdl-delta-commit-summary-v3.json").trim();
    CommitSummary s = CommitSummary.fromJson(json);
    assertEquals(44, s.batchId());
    assertEquals(Collections.singletonList(new OffsetRange(P0, 180, 220)), s.added());
    assertEquals(CommitSummary.Rows.ANY, s.rows());
    assertEquals(json, s.toJson());
  }

  @Test
  void whetherRowsAreOnePerRecordRoundTrips() {
    for (boolean one : new boolean[] {true, false}) {
      CommitSummary s = new CommitSummary("s", 1, Collections.singletonList(new OffsetRange(P0, 0, 9)),
          Collections.<OffsetRange>emptyList(), Collections.<SkippedRange>emptyList(), one);
      assertEquals(one ? CommitSummary.Rows.ONE_PER_RECORD : CommitSummary.Rows.ANY,
          CommitSummary.fromJson(s.toJson()).rows());
    }
    assertThrows(ZdlException.class, () -> CommitSummary.fromJson(
        "{\"version\":3,\"writer\":\"zdl-delta\",\"rows\":\"some\"}"));
  }

  @Test
  void otherWritersMetadataIsNotOurs() {
    assertNull(CommitSummary.fromJson(null));
    assertNull(CommitSummary.fromJson("nightly backfill by team X"));
    assertNull(CommitSummary.fromJson("{\"writer\":\"someone-else\",\"note\":\"zdl-delta\"}"));
  }

  @Test
  void unknownVersionAndCorruptSummariesAreCodedErrors() {
    ZdlException e = assertThrows(ZdlException.class, () -> CommitSummary.fromJson(
        "{\"version\":4,\"writer\":\"zdl-delta\"}"));
    assertEquals(ZdlErrors.OFFSET_VERSION_UNSUPPORTED, e.code());
    e = assertThrows(ZdlException.class, () -> CommitSummary.fromJson(
        "{\"version\":1,\"writer\":\"zdl-delta\",\"added\":[{\"topic\":\"t\",\"partition\":\"x\"}]}"));
    assertEquals(ZdlErrors.OFFSET_CORRUPT, e.code());
    e = assertThrows(ZdlException.class, () -> CommitSummary.fromJson(
        "{\"version\":2,\"writer\":\"zdl-delta\",\"lost\":[{\"topic\":\"t\",\"partition\":0,\"from\":1,"
            + "\"until\":2,\"cause\":\"GREMLINS\"}]}"));
    assertEquals(ZdlErrors.OFFSET_CORRUPT, e.code());
    assertTrue(e.getMessage().contains("GREMLINS"), e.getMessage());
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = CommitSummaryTest.class.getResourceAsStream(name)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      for (int n = in.read(buf); n > 0; n = in.read(buf)) {
        out.write(buf, 0, n);
      }
      return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }
  }
}
