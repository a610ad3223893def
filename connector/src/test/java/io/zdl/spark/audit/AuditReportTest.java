package io.zdl.spark.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuditReportTest {
  /** A partition with 25 one-offset transaction gaps (a marker after every transaction) and nothing else. */
  private static PartitionAudit transactional() {
    PartitionAudit p = new PartitionAudit("orders", 2);
    p.tableStart = 0;
    p.tableNext = 100;
    p.kafkaLogStart = 0;
    p.kafkaLastStable = 130;
    List<Span> held = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      held.add(new Span(i * 4, i * 4 + 3));
      p.gaps.add(new ClassifiedGap(new Span(i * 4 + 3, i * 4 + 4), ClassifiedGap.Kind.TRANSACTION_GAP, "markers", null));
    }
    p.held = held;
    return p;
  }

  @Test
  void theTextCutsLongListsAndTheJsonKeepsThemAll() throws Exception {
    AuditReport r = new AuditReport("/t", null, 5, null, Collections.singletonList(transactional()), 3);
    String text = r.toText();
    assertTrue(text.contains("transaction gap: 25 range(s), 25 offset(s)"), text);
    assertTrue(text.contains("... and 22 more (--json lists all)"), text);
    assertTrue(text.contains("held: [0, 3) [4, 7) [8, 11) ... and 22 more range(s)"), text);
    assertTrue(text.contains("ahead of the table: 30 offset(s)"), text);
    assertTrue(text.contains("RESULT: clean"), text);

    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertEquals(1, json.path("version").asInt());
    assertEquals(0, json.path("exitCode").asInt());
    JsonNode p = json.path("partitions").get(0);
    assertEquals(25, p.path("gaps").path("transaction").size());
    assertEquals(25, p.path("held").size());
    assertEquals(30, p.path("kafka").path("ahead").asLong());
  }

  @Test
  void anUnexplainedGapOrADuplicateMakesTheVerdictExitTwo() {
    PartitionAudit gap = transactional();
    gap.gaps.add(new ClassifiedGap(new Span(200, 201), ClassifiedGap.Kind.UNEXPLAINED, "Kafka holds 1", null));
    PartitionAudit dup = new PartitionAudit("orders", 3);
    dup.duplicatedOffsets = 2;
    dup.duplicates = Collections.singletonList(new Span(7, 9));
    for (PartitionAudit p : Arrays.asList(gap, dup)) {
      AuditReport r = new AuditReport("/t", "s", 1, "the table has no column(s) [offset]", Collections.singletonList(p), 10);
      assertFalse(r.clean());
      assertEquals(AuditReport.EXIT_PROBLEMS, r.exitCode());
      assertEquals("problems", r.verdict());
      assertTrue(r.toText().contains("[PROBLEM]") && r.toText().contains("Row-level checks: NOT POSSIBLE"), r.toText());
    }
    assertTrue(new AuditReport("/t", "s", 1, null, Collections.singletonList(dup), 10).toText()
        .contains("DUPLICATES: 2 offset(s)"));
  }

  @Test
  void aheadStartsAtTheLogStartWhenKafkaDroppedOffsetsTheTableNeverGot() {
    PartitionAudit p = new PartitionAudit("orders", 0);
    p.tableStart = 0;
    p.tableNext = 10;
    p.kafkaLogStart = 15;
    p.kafkaLastStable = 20;
    assertEquals(5, p.ahead());
    assertEquals(Collections.singletonList(new Span(10, 15)), p.goneBeforeRead());
    PartitionAudit never = new PartitionAudit("orders", 1);
    never.kafkaLogStart = 3;
    never.kafkaLastStable = 9;
    assertEquals(6, never.ahead());
    assertEquals(PartitionAudit.UNKNOWN, new PartitionAudit("gone", 0).ahead());
  }

  @Test
  void unverifiableGapsAndOffsetsTheTableNeverGotAreReportedWithoutChangingTheExitCode() throws Exception {
    PartitionAudit p = transactional();
    p.tableStart = 10;
    p.gaps.add(new ClassifiedGap(new Span(11, 12), ClassifiedGap.Kind.UNVERIFIABLE, "below Kafka's log start", null));
    PartitionAudit never = new PartitionAudit("orders", 5);
    never.kafkaLogStart = 3;
    never.kafkaLastStable = 9;
    AuditReport r = new AuditReport("/t", null, 5, 7, null, Arrays.asList(p, never), 3);
    assertEquals(AuditReport.EXIT_CLEAN, r.exitCode());
    assertEquals(Collections.singletonList(new Span(0, 10)), p.neverGot());
    assertEquals(Collections.singletonList(new Span(3, 9)), never.neverGot());
    String text = r.toText();
    assertTrue(text.contains("history starts at version 7"), text);
    assertTrue(text.contains("unverifiable: 1 range(s), 1 offset(s)"), text);
    assertTrue(text.contains("kafka holds [0, 10) below the table's first offset"), text);
    assertTrue(text.contains("the table never got any of [3, 9)"), text);
    JsonNode json = new ObjectMapper().readTree(r.toJson());
    assertEquals(7, json.path("historyFirstVersion").asLong());
    assertEquals(1, json.path("totals").path("unverifiableGaps").asLong());
    assertEquals(1, json.path("partitions").get(0).path("gaps").path("unverifiable").size());
    assertEquals("[{\"from\":3,\"until\":9}]", json.path("partitions").get(1).path("kafka").path("neverGot").toString());
  }
}
