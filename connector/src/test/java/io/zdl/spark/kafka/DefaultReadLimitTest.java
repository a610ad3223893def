package io.zdl.spark.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.kafka.config.KafkaSourceConf;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.connector.read.streaming.CompositeReadLimit;
import org.apache.spark.sql.connector.read.streaming.ReadAllAvailable;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.ReadMaxRows;
import org.apache.spark.sql.connector.read.streaming.ReadMinRows;
import org.junit.jupiter.api.Test;

/** The limit Spark is asked for follows maxOffsetsPerTrigger, minOffsetsPerTrigger and maxTriggerDelay. */
class DefaultReadLimitTest {
  private static ReadLimit limitFor(String... kv) {
    Map<String, String> options = new HashMap<>();
    options.put("kafka.bootstrap.servers", "127.0.0.1:9092");
    options.put("subscribe", "events");
    for (int i = 0; i < kv.length; i += 2) {
      options.put(kv[i], kv[i + 1]);
    }
    return DefaultReadLimit.of(KafkaSourceConf.parse(options));
  }

  @Test
  void noLimitReadsAllAvailable() {
    assertTrue(limitFor() instanceof ReadAllAvailable);
  }

  @Test
  void maxAloneCapsTheRows() {
    assertEquals(ReadLimit.maxRows(500), limitFor("maxOffsetsPerTrigger", "500"));
  }

  @Test
  void minAloneWaitsForRowsUpToTheTriggerDelay() {
    ReadLimit limit = limitFor("minOffsetsPerTrigger", "20", "maxTriggerDelay", "30s");
    assertEquals(ReadLimit.minRows(20, 30_000), limit);
    assertEquals(30_000, ((ReadMinRows) limit).maxTriggerDelayMs());
  }

  @Test
  void minAndMaxTogetherAreOneCompositeLimit() {
    ReadLimit limit = limitFor("minOffsetsPerTrigger", "20", "maxOffsetsPerTrigger", "500", "maxTriggerDelay", "1m");
    ReadLimit[] parts = ((CompositeReadLimit) limit).getReadLimits();
    assertEquals(2, parts.length);
    assertEquals(ReadLimit.minRows(20, 60_000), parts[0]);
    assertEquals(500, ((ReadMaxRows) parts[1]).maxRows());
  }
}
