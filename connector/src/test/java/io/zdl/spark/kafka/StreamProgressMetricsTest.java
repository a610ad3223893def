package io.zdl.spark.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class StreamProgressMetricsTest {
  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);
  private static final TopicPartition P2 = new TopicPartition("t", 2);

  private static Map<TopicPartition, Long> offsets(long p0, long p1) {
    Map<TopicPartition, Long> m = new HashMap<>();
    m.put(P0, p0);
    m.put(P1, p1);
    return m;
  }

  @Test
  void volumeIsReportedUnderSparksMetricNames() {
    Map<String, String> expected = new TreeMap<>();
    expected.put("recordsRead", "10");
    expected.put("bytesRead", "700");
    expected.put("lostRecords", "3");
    expected.put("lostRanges", "1");
    assertEquals(expected, new TreeMap<>(StreamProgressMetrics.volume(10, 700, 3, 1)));
  }

  @Test
  void offsetsBehindLatestAreMinMaxAndAverageOverPartitionsWithBytesFromTheMeanRecordSize() {
    Map<String, String> metrics = new HashMap<>();
    StreamProgressMetrics.putBehindLatest(metrics, offsets(100, 50), offsets(90, 20), 4, 400);
    assertEquals("10", metrics.get("minOffsetsBehindLatest"));
    assertEquals("30", metrics.get("maxOffsetsBehindLatest"));
    assertEquals("20.0", metrics.get("avgOffsetsBehindLatest"));
    assertEquals("4000", metrics.get("estimatedTotalBytesBehindLatest")); // 40 offsets of 100 bytes
  }

  @Test
  void aPartitionNotConsumedYetCountsFromItsStartAndNoneCountsBelowZero() {
    Map<TopicPartition, Long> latest = offsets(100, 5);
    latest.put(P2, 7L);
    Map<TopicPartition, Long> consumed = offsets(100, 9); // P1 consumed past the end it was last listed with
    Map<String, String> metrics = new HashMap<>();
    StreamProgressMetrics.putBehindLatest(metrics, latest, consumed, 1, 10);
    assertEquals("0", metrics.get("minOffsetsBehindLatest"));
    assertEquals("7", metrics.get("maxOffsetsBehindLatest"));
    assertEquals(Double.toString(7.0 / 3), metrics.get("avgOffsetsBehindLatest"));
  }

  @Test
  void nothingReadYetLeavesOutTheBytesEstimate() {
    Map<String, String> metrics = new HashMap<>();
    StreamProgressMetrics.putBehindLatest(metrics, offsets(100, 50), offsets(0, 0), 0, 0);
    assertEquals("100", metrics.get("maxOffsetsBehindLatest"));
    assertFalse(metrics.containsKey("estimatedTotalBytesBehindLatest"));
  }

  @Test
  void noPartitionsListedGivesNoMetricsBehindLatest() {
    Map<String, String> metrics = new HashMap<>();
    StreamProgressMetrics.putBehindLatest(metrics, new HashMap<TopicPartition, Long>(), offsets(1, 1), 5, 50);
    assertEquals(new HashMap<String, String>(), metrics);
  }
}
