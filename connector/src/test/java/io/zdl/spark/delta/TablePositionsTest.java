package io.zdl.spark.delta;

import static io.zdl.spark.kafka.offset.TestOffsets.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.plan.OffsetRange;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class TablePositionsTest {
  private static final TopicPartition P0 = new TopicPartition("orders", 0);
  private static final TopicPartition P1 = new TopicPartition("orders", 1);

  private static Map<String, Long> txns(Object... kv) {
    Map<String, Long> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], ((Number) kv[i + 1]).longValue());
    }
    return m;
  }

  @Test
  void positionsAndTheNewestTopicIdAreReadPerSinkIdAndOtherWritersEntriesIgnored() {
    TablePositions t = TablePositions.of(txns(
        "zdl-delta/live/orders/0", 40, "zdl-delta/live/orders/1", 0,
        "zdl-delta/live/orders/topic-id/OLD", 1, "zdl-delta/live/orders/topic-id/NEW", 2,
        "zdl-delta/backfill/orders/0", 7, "some-other-app", 3, "zdl-delta/live/orders/x", 9));
    assertEquals(map(P0, 40, P1, 0), t.nextOffsets("live"));
    assertEquals(map(P0, 7), t.nextOffsets("backfill"));
    assertEquals(Collections.singletonMap("orders", "NEW"), t.topicIds("live"));
    assertEquals(2, t.topicIdSeq("live", "orders"));
    assertEquals(0, t.topicIdSeq("backfill", "orders"));
    assertTrue(t.nextOffsets("nobody").isEmpty());
  }

  private static Map<String, Long> fixture(String name) throws Exception {
    try (java.io.InputStream in = TablePositionsTest.class.getResourceAsStream("/fixtures/" + name)) {
      com.fasterxml.jackson.databind.JsonNode txns = new com.fasterxml.jackson.databind.ObjectMapper().readTree(in)
          .get("txns");
      Map<String, Long> m = new HashMap<>();
      txns.fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asLong()));
      return m;
    }
  }

  @Test
  void aTableWrittenBeforeTopicIdsReadsWithItsPositionsAndNoIds() throws Exception {
    TablePositions t = TablePositions.of(fixture("zdl-delta-txns-positions.json"));
    TopicPartition e0 = new TopicPartition("events", 0);
    assertEquals(map(e0, 1200, new TopicPartition("events", 1), 1187), t.nextOffsets("default"));
    assertTrue(t.topicIds("default").isEmpty());
    assertEquals(Collections.singletonList("backfill"), t.otherSinksHolding("default", e0, "anything"),
        "a position without an id counts as the same topic's");
  }

  @Test
  void aTableWithTopicIdsReadsTheNewestIdOfEachTopic() throws Exception {
    TablePositions t = TablePositions.of(fixture("zdl-delta-txns-positions-topic-ids.json"));
    assertEquals(Collections.singletonMap("events", "Vf0a8Zq0R9yBq3Fh3QwH9g"), t.topicIds("default"));
    assertEquals(2, t.topicIdSeq("default", "events"));
    assertEquals(1187L, t.nextOffsets("default").get(new TopicPartition("events", 1)));
  }

  @Test
  void appIdsRoundTripAndOlderReadersSeeNoPositionInATopicIdEntry() {
    assertEquals(P1, SinkOffsetKeys.parse("s", SinkOffsetKeys.appId("s", P1)));
    assertNull(SinkOffsetKeys.parse("s", SinkOffsetKeys.topicIdAppId("s", "orders", "AbC-_12")));
    assertNull(SinkOffsetKeys.parse("other", SinkOffsetKeys.appId("s", P1)));
    assertNull(SinkOffsetKeys.parse("s", "zdl-delta/s//1"));
  }

  @Test
  void anotherSinkIdOnTheSamePartitionsIsRefusedNamingBothUnlessAllowed() {
    TablePositions t = TablePositions.of(txns("zdl-delta/live/orders/0", 40));
    List<OffsetRange> batch = Arrays.asList(new OffsetRange(P0, 0, 10), new OffsetRange(P1, 0, 10));
    ZdlException e = assertThrows(ZdlException.class,
        () -> SinkPositionsCheck.check(t, "backfill", batch, Collections.emptyMap(), false, "tbl"));
    assertEquals(ZdlErrors.SINK_SHARED_PARTITIONS, e.code());
    assertTrue(e.getMessage().contains("'live'") && e.getMessage().contains("'backfill'")
        && e.getMessage().contains("allowOtherSinkIds=true"), e.getMessage());
    SinkPositionsCheck.check(t, "backfill", batch, Collections.emptyMap(), true, "tbl");
    SinkPositionsCheck.check(t, "live", batch.subList(0, 1), Collections.emptyMap(), false, "tbl");
  }

  @Test
  void anotherSinkIdsPositionsOfAnEarlierTopicOfTheSameNameDoNotCount() {
    TablePositions t = TablePositions.of(txns("zdl-delta/live/orders/0", 40, "zdl-delta/live/orders/topic-id/OLD", 1));
    List<OffsetRange> batch = Collections.singletonList(new OffsetRange(P0, 0, 10));
    SinkPositionsCheck.check(t, "fresh", batch, Collections.singletonMap("orders", "NEW"), false, "tbl");
    assertThrows(ZdlException.class,
        () -> SinkPositionsCheck.check(t, "fresh", batch, Collections.singletonMap("orders", "OLD"), false, "tbl"));
  }

  @Test
  void aRecreatedTopicIsRefusedOnlyWhereTheBatchWouldFallBelowTheOldPositions() {
    TablePositions t = TablePositions.of(txns("zdl-delta/s/orders/0", 40, "zdl-delta/s/orders/topic-id/OLD", 1));
    Map<String, String> now = Collections.singletonMap("orders", "NEW");
    ZdlException e = assertThrows(ZdlException.class, () -> SinkPositionsCheck.check(t, "s",
        Collections.singletonList(new OffsetRange(P0, 0, 50)), now, false, "tbl"));
    assertEquals(ZdlErrors.SINK_TOPIC_RECREATED, e.code());
    assertTrue(e.getMessage().contains("OLD") && e.getMessage().contains("NEW") && e.getMessage().contains("sinkId"));
    // a source that went on from the old position (failOnDataLoss=false) recorded what it skipped
    SinkPositionsCheck.check(t, "s", Collections.singletonList(new OffsetRange(P0, 40, 50)), now, false, "tbl");
    // the same topic id, or none known: nothing to refuse
    SinkPositionsCheck.check(t, "s", Collections.singletonList(new OffsetRange(P0, 0, 50)),
        Collections.singletonMap("orders", "OLD"), false, "tbl");
    SinkPositionsCheck.check(t, "s", Collections.singletonList(new OffsetRange(P0, 0, 50)),
        Collections.emptyMap(), false, "tbl");
  }
}
