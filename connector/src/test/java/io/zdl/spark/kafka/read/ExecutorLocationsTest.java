package io.zdl.spark.kafka.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ExecutorLocationsTest {
  private static final List<String> EXECUTORS =
      Arrays.asList("executor_10.0.0.1_1", "executor_10.0.0.2_2", "executor_10.0.0.3_3");

  @Test
  void aPartitionPrefersTheSameExecutorEveryBatch() {
    Set<String> used = new HashSet<>();
    for (int p = 0; p < 12; p++) {
      TopicPartition tp = new TopicPartition("events", p);
      String first = new ExecutorLocations(EXECUTORS).preferredFor(tp);
      assertEquals(first, new ExecutorLocations(EXECUTORS).preferredFor(tp));
      used.add(first);
    }
    assertTrue(used.size() > 1, "partitions spread over executors: " + used);
  }

  @Test
  void noExecutorsMeansNoPreference() {
    assertNull(new ExecutorLocations(Collections.<String>emptyList()).preferredFor(new TopicPartition("t", 0)));
  }
}
