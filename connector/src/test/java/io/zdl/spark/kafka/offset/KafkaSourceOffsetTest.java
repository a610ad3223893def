package io.zdl.spark.kafka.offset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class KafkaSourceOffsetTest {

  private static Map<TopicPartition, Long> offsets() {
    Map<TopicPartition, Long> m = new HashMap<>();
    m.put(new TopicPartition("payments.v2", 0), 7L);
    m.put(new TopicPartition("orders", 2), 1234567890123L);
    m.put(new TopicPartition("orders", 0), 42L);
    m.put(new TopicPartition("orders", 1), 0L);
    return m;
  }

  @Test
  void jsonRoundTripKeepsEveryPartitionAndOffset() {
    KafkaSourceOffset offset = new KafkaSourceOffset(offsets());
    KafkaSourceOffset back = KafkaSourceOffset.fromJson(offset.json(), "test");
    assertEquals(offsets(), back.partitionOffsets());
    assertEquals(offset, back);
    assertEquals(offset.json(), back.json());
  }

  @Test
  void jsonIsCanonicalWhateverTheInsertionOrder() {
    Map<TopicPartition, Long> reversed = new java.util.LinkedHashMap<>();
    reversed.put(new TopicPartition("orders", 1), 0L);
    reversed.put(new TopicPartition("payments.v2", 0), 7L);
    reversed.put(new TopicPartition("orders", 0), 42L);
    reversed.put(new TopicPartition("orders", 2), 1234567890123L);
    assertEquals(new KafkaSourceOffset(offsets()).json(), new KafkaSourceOffset(reversed).json());
  }

  @Test
  void versionOneFixtureIsReadBackForever() throws IOException {
    String json = resource("/fixtures/kafka-source-offset-v1.json");
    KafkaSourceOffset offset = KafkaSourceOffset.fromJson(json, "fixture");
    assertEquals(offsets(), offset.partitionOffsets());
    // and we still write exactly that form
    assertEquals(json.trim(), offset.json());
  }

  @Test
  void versionTwoFixtureWithLeaderEpochsIsReadBackForever() throws IOException {
    String json = resource("/fixtures/kafka-source-offset-v2.json");
    KafkaSourceOffset offset = KafkaSourceOffset.fromJson(json, "fixture");
    assertEquals(offsets(), offset.partitionOffsets());
    Map<TopicPartition, Long> epochs = new HashMap<>();
    epochs.put(new TopicPartition("orders", 0), 5L);
    epochs.put(new TopicPartition("orders", 2), 12L);
    assertEquals(epochs, offset.leaderEpochs());
    assertEquals(json.trim(), new KafkaSourceOffset(offsets(), epochs).json());
  }

  @Test
  void offsetsWithoutAKnownEpochAreStillWrittenAsVersionOne() {
    Map<TopicPartition, Long> unknown = new HashMap<>();
    unknown.put(new TopicPartition("orders", 0), -1L); // not an epoch: left out
    unknown.put(new TopicPartition("gone", 0), 3L); // no such position: left out
    KafkaSourceOffset offset = new KafkaSourceOffset(offsets(), unknown);
    assertTrue(offset.json().startsWith("{\"version\":1,"), offset.json());
    assertTrue(offset.leaderEpochs().isEmpty());
  }

  @Test
  void epochsThatAreNotEpochsOrNameNoPositionAreCorrupt() {
    for (String bad : new String[] {
        "{\"version\":2,\"partitions\":{\"t\":{\"0\":1}}}",
        "{\"version\":2,\"partitions\":{\"t\":{\"0\":1}},\"leaderEpochs\":[]}",
        "{\"version\":2,\"partitions\":{\"t\":{\"0\":1}},\"leaderEpochs\":{\"t\":{\"0\":-1}}}",
        "{\"version\":2,\"partitions\":{\"t\":{\"0\":1}},\"leaderEpochs\":{\"t\":{\"0\":4294967296}}}",
        "{\"version\":2,\"partitions\":{\"t\":{\"0\":1}},\"leaderEpochs\":{\"t\":{\"1\":3}}}"}) {
      ZdlException e = assertThrows(ZdlException.class, () -> KafkaSourceOffset.fromJson(bad, "offsets/9"), bad);
      assertEquals(ZdlErrors.OFFSET_CORRUPT, e.code(), bad);
      assertTrue(e.getMessage().contains("offsets/9"), e.getMessage());
    }
  }

  @Test
  void unknownFutureVersionIsRefusedNamingSupportedVersions() {
    ZdlException e = assertThrows(ZdlException.class, () -> KafkaSourceOffset.fromJson(
        "{\"version\":3,\"partitions\":{\"t\":{\"0\":1}}}", "offsets/7"));
    assertEquals(ZdlErrors.OFFSET_VERSION_UNSUPPORTED, e.code());
    assertTrue(e.getMessage().contains("version 3"), e.getMessage());
    assertTrue(e.getMessage().contains("[1, 2]"), e.getMessage());
    assertTrue(e.getMessage().contains("offsets/7"), e.getMessage());
  }

  @Test
  void corruptOrTruncatedOffsetsGiveTheCorruptCode() {
    for (String bad : new String[] {"{\"version\":1,\"partitions\":{\"t\":{\"0\":1}", "", "[]",
        "{\"partitions\":{}}", "{\"version\":1}", "{\"version\":1,\"partitions\":{\"t\":{\"x\":1}}}",
        "{\"version\":1,\"partitions\":{\"t\":{\"0\":\"1\"}}}", "{\"version\":\"1\",\"partitions\":{}}"}) {
      ZdlException e = assertThrows(ZdlException.class, () -> KafkaSourceOffset.fromJson(bad, "offsets/3"), bad);
      assertEquals(ZdlErrors.OFFSET_CORRUPT, e.code(), bad);
      assertTrue(e.getMessage().contains("offsets/3"), e.getMessage());
    }
  }

  @Test
  void userJsonErrorsNameTheOption() {
    ZdlException e = assertThrows(ZdlException.class,
        () -> KafkaOffsetJson.fromUserJson("{\"t\":{\"0\":1.5}}", "startingOffsets"));
    assertEquals(ZdlErrors.INVALID_OPTION, e.code());
    assertTrue(e.getMessage().contains("startingOffsets"), e.getMessage());
    e = assertThrows(ZdlException.class, () -> KafkaOffsetJson.fromUserJson("{\"t\":[0]}", "endingOffsets"));
    assertTrue(e.getMessage().contains("endingOffsets"), e.getMessage());
  }

  @Test
  void differentOffsetsAreNotEqual() {
    Map<TopicPartition, Long> other = offsets();
    other.put(new TopicPartition("orders", 1), 1L);
    assertNotEquals(new KafkaSourceOffset(offsets()), new KafkaSourceOffset(other));
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = KafkaSourceOffsetTest.class.getResourceAsStream(name)) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      byte[] buf = new byte[4096];
      for (int n = in.read(buf); n > 0; n = in.read(buf)) {
        out.write(buf, 0, n);
      }
      return new String(out.toByteArray(), StandardCharsets.UTF_8);
    }
  }
}
