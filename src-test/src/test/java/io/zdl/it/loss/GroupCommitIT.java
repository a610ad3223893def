package io.zdl.it.loss;

import static io.zdl.it.support.Queries.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.support.Sources;
import io.zdl.it.support.TestRecords;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** commitOffsetsToGroup mirrors committed batches into a consumer group for lag tools; progress shows lag and volume. */
class GroupCommitIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  private final SparkSession spark = SparkTestSession.get();

  private StreamingQuery run(String topic, Path checkpoint, String group, String maxPerTrigger) {
    StreamingQuery q = start(Sources.stream(spark, KAFKA.broker(), "subscribe", topic, "startingOffsets", "earliest",
            "commitOffsetsToGroup", group, "maxOffsetsPerTrigger", maxPerTrigger).load()
        .writeStream().format("noop").option("checkpointLocation", checkpoint.toString())
        .trigger(Trigger.AvailableNow()));
    awaitTermination(q, 180);
    return q;
  }

  private Map<String, Long> groupOffsets(String group) {
    try {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          KAFKA.broker().admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      Map<String, Long> out = new TreeMap<>();
      offsets.forEach((tp, om) -> out.put(tp.toString(), om.offset()));
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void committedBatchesShowUpInTheConsumerGroupAndProgressReportsLagAndVolume() {
    String topic = unique("group");
    KAFKA.broker().createTopic(topic, 2);
    TestRecords.produce(KAFKA.broker(), topic, 2, 0, 100); // 50 per partition
    String group = unique("lag-view");
    StreamingQuery q = run(topic, newDir("cp"), group, "30");
    Map<String, Long> expected = Map.of(topic + "-0", 50L, topic + "-1", 50L);
    eventually(30, "the group's offsets to reach the end of the topic", () -> expected.equals(groupOffsets(group)));

    long read = 0;
    long bytes = 0;
    boolean sawBacklog = false;
    for (StreamingQueryProgress p : q.recentProgress()) {
      for (SourceProgress s : p.sources()) {
        read += Long.parseLong(s.metrics().get("recordsRead"));
        bytes += Long.parseLong(s.metrics().get("bytesRead"));
        if (Long.parseLong(s.metrics().getOrDefault("maxOffsetsBehindLatest", "0")) > 0) {
          sawBacklog = true;
          assertTrue(Long.parseLong(s.metrics().get("estimatedTotalBytesBehindLatest")) > 0, s.metrics().toString());
        }
        assertEquals("0", s.metrics().get("groupCommitsFailed"));
      }
    }
    assertEquals(100, read);
    assertTrue(bytes >= 100 * 10, "keys and values were counted: " + bytes);
    assertTrue(sawBacklog, "with 30 offsets per batch, early batches were behind latest");
  }

  @Test
  void aGroupThatCannotBeCommittedToNeverFailsTheQueryAndCatchesUpLater() throws Exception {
    String topic = unique("group-busy");
    KAFKA.broker().createTopic(topic, 1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 20);
    String group = unique("busy");
    Properties props = new Properties();
    props.put("bootstrap.servers", KAFKA.broker().bootstrapServers());
    props.put("group.id", group);
    props.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    props.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    props.put("enable.auto.commit", "false");
    Path checkpoint = newDir("cp");
    try (KafkaConsumer<byte[], byte[]> member = new KafkaConsumer<>(props)) {
      // an active member: the broker refuses offset changes from outside the group
      member.subscribe(List.of(topic));
      eventually(60, "the member to join the group", () -> {
        member.poll(Duration.ofMillis(200));
        return !member.assignment().isEmpty();
      });
      StreamingQuery q = run(topic, checkpoint, group, "1000");
      assertTrue(q.exception().isEmpty(), "the query finished without error");
      assertEquals(20, q.recentProgress()[0].numInputRows());
    }
    // the member left: the next committed batch reaches the group
    TestRecords.produce(KAFKA.broker(), topic, 1, 20, 5);
    run(topic, checkpoint, group, "1000");
    eventually(30, "the group's offsets to catch up", () -> Map.of(topic + "-0", 25L).equals(groupOffsets(group)));
  }
}
