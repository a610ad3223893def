package io.zdl.spark.kafka.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class AdmissionPlannerTest {
  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);
  private static final TopicPartition P2 = new TopicPartition("t", 2);

  private static Map<TopicPartition, Long> map(long a, long b, long c) {
    Map<TopicPartition, Long> m = new HashMap<>();
    m.put(P0, a);
    m.put(P1, b);
    m.put(P2, c);
    return m;
  }

  private static long total(Map<TopicPartition, Long> start, Map<TopicPartition, Long> end) {
    long sum = 0;
    for (TopicPartition tp : end.keySet()) {
      sum += end.get(tp) - start.get(tp);
    }
    return sum;
  }

  @Test
  void underTheLimitEverythingIsRead() {
    Map<TopicPartition, Long> start = map(0, 10, 20);
    Map<TopicPartition, Long> latest = map(5, 15, 25);
    assertEquals(latest, AdmissionPlanner.limit(start, latest, 100));
  }

  @Test
  void overTheLimitExactlyTheLimitIsReadInProportionToBacklog() {
    Map<TopicPartition, Long> start = map(0, 0, 0);
    Map<TopicPartition, Long> latest = map(600, 300, 100);
    Map<TopicPartition, Long> end = AdmissionPlanner.limit(start, latest, 100);
    assertEquals(map(60, 30, 10), end);
  }

  @Test
  void remaindersAreGivenOutDeterministicallyAndNeverPastLatest() {
    Map<TopicPartition, Long> start = map(0, 0, 0);
    Map<TopicPartition, Long> latest = map(1, 1, 1);
    Map<TopicPartition, Long> end = AdmissionPlanner.limit(start, latest, 2);
    assertEquals(2, total(start, end));
    assertEquals(end, AdmissionPlanner.limit(new HashMap<>(start), new HashMap<>(latest), 2));
    for (TopicPartition tp : end.keySet()) {
      assertTrue(end.get(tp) <= latest.get(tp));
    }
  }

  @Test
  void repeatedBatchesDrainTheBacklogWithoutExceedingTheLimit() {
    Map<TopicPartition, Long> start = map(0, 0, 0);
    Map<TopicPartition, Long> latest = map(1000, 7, 333);
    int batches = 0;
    while (!start.equals(latest) && batches < 1000) {
      Map<TopicPartition, Long> end = AdmissionPlanner.limit(start, latest, 97);
      long n = total(start, end);
      assertTrue(n > 0 && n <= 97, "batch " + batches + " read " + n);
      start = new HashMap<>(end);
      batches++;
    }
    assertEquals(latest, start);
    assertEquals((1000 + 7 + 333 + 96) / 97, batches);
  }
}
