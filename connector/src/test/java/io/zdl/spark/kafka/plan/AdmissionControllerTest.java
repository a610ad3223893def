package io.zdl.spark.kafka.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Collections;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.junit.jupiter.api.Test;

class AdmissionControllerTest {
  private static final TopicPartition P = new TopicPartition("t", 0);

  private static Map<TopicPartition, Long> at(long offset) {
    return Collections.singletonMap(P, offset);
  }

  @Test
  void minRowsHoldsTheBatchUntilEnoughArrived() {
    AdmissionController c = new AdmissionController(1_000);
    ReadLimit min = ReadLimit.minRows(100, 60_000);
    assertNull(c.endOffsets(at(0), at(99), min, 2_000, false));
    assertEquals(at(100), c.endOffsets(at(0), at(100), min, 3_000, false));
  }

  @Test
  void minRowsGivesUpWaitingAfterTheMaxTriggerDelay() {
    AdmissionController c = new AdmissionController(1_000);
    ReadLimit min = ReadLimit.minRows(100, 60_000);
    assertNull(c.endOffsets(at(0), at(5), min, 60_999, false));
    assertEquals(at(5), c.endOffsets(at(0), at(5), min, 61_000, false));
    // the delay counts again from that batch
    assertNull(c.endOffsets(at(5), at(6), min, 61_001, false));
  }

  @Test
  void availableNowDoesNotWaitForMinRows() {
    AdmissionController c = new AdmissionController(1_000);
    assertEquals(at(5), c.endOffsets(at(0), at(5), ReadLimit.minRows(100, 60_000), 1_001, true));
  }

  @Test
  void compositeLimitAppliesBothMinAndMax() {
    AdmissionController c = new AdmissionController(0);
    ReadLimit both = ReadLimit.compositeLimit(new ReadLimit[] {ReadLimit.minRows(10, 60_000), ReadLimit.maxRows(50)});
    assertNull(c.endOffsets(at(0), at(9), both, 1, false));
    assertEquals(at(50), c.endOffsets(at(0), at(500), both, 2, false));
  }

  @Test
  void allAvailableReadsEverything() {
    assertEquals(at(123), new AdmissionController(0).endOffsets(at(3), at(123), ReadLimit.allAvailable(), 1, false));
  }
}
