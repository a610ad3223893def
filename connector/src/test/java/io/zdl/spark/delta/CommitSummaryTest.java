package io.zdl.spark.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import org.junit.jupiter.api.Test;

class CommitSummaryTest {
  private static final TopicPartition P0 = new TopicPartition("orders", 0);

  @Test
  void roundTrip() {
    CommitSummary s = new CommitSummary("sink-1", 7, Arrays.asList(new OffsetRange(P0, 1, 5)),
        Collections.singletonList(new OffsetRange(new TopicPartition("orders", 2), 0, 3)));
    CommitSummary back = CommitSummary.fromJson(s.toJson());
    assertEquals("sink-1", back.sinkId());
    assertEquals(7, back.batchId());
    assertEquals(s.added(), back.added());
    assertEquals(s.gaps(), back.gaps());
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
    assertEquals(json, s.toJson());
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
        "{\"version\":2,\"writer\":\"zdl-delta\"}"));
    assertEquals(ZdlErrors.OFFSET_VERSION_UNSUPPORTED, e.code());
    e = assertThrows(ZdlException.class, () -> CommitSummary.fromJson(
        "{\"version\":1,\"writer\":\"zdl-delta\",\"added\":[{\"topic\":\"t\",\"partition\":\"x\"}]}"));
    assertEquals(ZdlErrors.OFFSET_CORRUPT, e.code());
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
