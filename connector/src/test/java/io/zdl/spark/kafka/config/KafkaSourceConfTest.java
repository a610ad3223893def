package io.zdl.spark.kafka.config;

import static io.zdl.spark.kafka.config.SourceOptionMaps.base;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

class KafkaSourceConfTest {

  /** Asserts the options fail with the code and a message that names every given word. */
  private static ZdlException assertRefused(Map<String, String> options, String code, String... mentions) {
    return SourceOptionMaps.assertRefused(o -> KafkaSourceConf.parse(o).startingOffsetsForStream(), options, code, mentions);
  }

  @Test
  void defaultsFollowSparksKafkaSource() {
    KafkaSourceConf conf = KafkaSourceConf.parse(base());
    assertTrue(conf.startingOffsetsForStream().isLatest());
    assertTrue(conf.startingOffsetsForBatch().isEarliest());
    assertTrue(conf.endingOffsetsForBatch().isLatest());
    assertTrue(conf.failOnDataLoss());
    assertFalse(conf.includeHeaders());
    assertNull(conf.maxOffsetsPerTrigger());
    assertNull(conf.minOffsetsPerTrigger());
    assertNull(conf.minPartitions());
    assertEquals(15 * 60_000L, conf.maxTriggerDelayMs());
    assertEquals(120_000L, conf.pollTimeoutMs());
    assertEquals(3, conf.fetchOffsetNumRetries());
    assertEquals(1000L, conf.fetchOffsetRetryIntervalMs());
    assertEquals(IsolationLevel.READ_UNCOMMITTED, conf.kafkaParams().isolationLevel());
  }

  @Test
  void optionNamesAreCaseInsensitive() {
    Map<String, String> m = new HashMap<>();
    m.put("KAFKA.BOOTSTRAP.SERVERS", "127.0.0.1:9092");
    m.put("SubScribe", "t");
    m.put("MAXOFFSETSPERTRIGGER", "10");
    m.put("kafka.Isolation.Level", "read_committed");
    KafkaSourceConf conf = KafkaSourceConf.parse(m);
    assertEquals(10L, conf.maxOffsetsPerTrigger());
    assertEquals(IsolationLevel.READ_COMMITTED, conf.kafkaParams().isolationLevel());
  }

  @Test
  void typedOptionsAreRead() {
    KafkaSourceConf conf = KafkaSourceConf.parse(base("maxOffsetsPerTrigger", "1000", "minOffsetsPerTrigger", "10",
        "maxTriggerDelay", "30s", "minPartitions", "8", "includeHeaders", "TRUE", "failOnDataLoss", "false",
        "kafkaConsumer.pollTimeoutMs", "5000", "fetchOffset.numRetries", "0", "fetchOffset.retryIntervalMs", "10"));
    assertEquals(1000L, conf.maxOffsetsPerTrigger());
    assertEquals(10L, conf.minOffsetsPerTrigger());
    assertEquals(30_000L, conf.maxTriggerDelayMs());
    assertEquals(8, conf.minPartitions());
    assertTrue(conf.includeHeaders());
    assertFalse(conf.failOnDataLoss());
    assertEquals(5000L, conf.pollTimeoutMs());
    assertEquals(0, conf.fetchOffsetNumRetries());
    assertEquals(10L, conf.fetchOffsetRetryIntervalMs());
  }

  @Test
  void durationsTakeSparkUnits() {
    String[][] cases = {{"500ms", "500"}, {"2500", "2500"}, {"10s", "10000"}, {"2m", "120000"}, {"1h", "3600000"},
        {"1d", "86400000"}};
    for (String[] c : cases) {
      assertEquals(Long.parseLong(c[1]), KafkaSourceConf.parse(
          base("minOffsetsPerTrigger", "1", "maxTriggerDelay", c[0])).maxTriggerDelayMs(), c[0]);
    }
  }

  @Test
  void bootstrapServersAreRequired() {
    assertRefused(base("kafka.bootstrap.servers", null), ZdlErrors.INVALID_OPTION, "kafka.bootstrap.servers");
    assertRefused(base("kafka.bootstrap.servers", " "), ZdlErrors.INVALID_OPTION, "kafka.bootstrap.servers");
  }

  @Test
  void settingsThatBreakOffsetTrackingAreRefusedNamingTheAlternative() {
    assertRefused(base("kafka.auto.offset.reset", "earliest"), ZdlErrors.UNSUPPORTED_KAFKA_OPTION,
        "kafka.auto.offset.reset", "startingOffsets");
    assertRefused(base("kafka.enable.auto.commit", "true"), ZdlErrors.UNSUPPORTED_KAFKA_OPTION,
        "kafka.enable.auto.commit", "checkpoint");
    assertRefused(base("kafka.key.deserializer", "x"), ZdlErrors.UNSUPPORTED_KAFKA_OPTION, "kafka.key.deserializer", "CAST");
    assertRefused(base("kafka.value.deserializer", "x"), ZdlErrors.UNSUPPORTED_KAFKA_OPTION, "kafka.value.deserializer");
    assertRefused(base("kafka.interceptor.classes", "x"), ZdlErrors.UNSUPPORTED_KAFKA_OPTION, "kafka.interceptor.classes");
    assertRefused(base("kafka.isolation.level", "serializable"), ZdlErrors.INVALID_OPTION, "kafka.isolation.level",
        "read_committed");
  }

  @Test
  void maxRecordsPerPartitionAsSpark4sSourceIsAPositiveWholeNumberAndUnsetByDefault() {
    assertNull(KafkaSourceConf.parse(base()).maxRecordsPerPartition());
    assertEquals(500L, KafkaSourceConf.parse(base("maxRecordsPerPartition", "500")).maxRecordsPerPartition());
    assertRefused(base("maxRecordsPerPartition", "0"), ZdlErrors.INVALID_OPTION, "maxRecordsPerPartition");
    assertRefused(base("maxRecordsPerPartition", "many"), ZdlErrors.INVALID_OPTION, "maxRecordsPerPartition", "many");
  }

  @Test
  void numbersThatAreNotNumbersNameTheOption() {
    String[] options = {"maxOffsetsPerTrigger", "minOffsetsPerTrigger", "minPartitions", "kafkaConsumer.pollTimeoutMs",
        "fetchOffset.numRetries", "fetchOffset.retryIntervalMs"};
    for (String o : options) {
      assertRefused(base(o, "ten"), ZdlErrors.INVALID_OPTION, o, "ten");
      assertRefused(base(o, "-1"), ZdlErrors.INVALID_OPTION, o);
    }
    for (String o : new String[] {"maxOffsetsPerTrigger", "minOffsetsPerTrigger", "minPartitions"}) {
      assertRefused(base(o, "0"), ZdlErrors.INVALID_OPTION, o);
    }
    assertRefused(base("minPartitions", "99999999999"), ZdlErrors.INVALID_OPTION, "minPartitions");
  }

  @Test
  void aGroupIdPrefixConflictsWithKafkaGroupId() {
    assertRefused(base("groupIdPrefix", "x", "kafka.group.id", "g"), ZdlErrors.CONFLICTING_OPTIONS, "groupIdPrefix",
        "kafka.group.id");
  }

  @Test
  void booleansAndChoicesNameTheOption() {
    assertRefused(base("includeHeaders", "yes"), ZdlErrors.INVALID_OPTION, "includeHeaders", "true or false");
    assertRefused(base("failOnDataLoss", "maybe"), ZdlErrors.INVALID_OPTION, "failOnDataLoss");
  }

  @Test
  void triggerLimitsMustFitTogether() {
    assertRefused(base("minOffsetsPerTrigger", "100", "maxOffsetsPerTrigger", "10"), ZdlErrors.INVALID_OPTION,
        "minOffsetsPerTrigger", "maxOffsetsPerTrigger");
    assertRefused(base("maxTriggerDelay", "5m"), ZdlErrors.INVALID_OPTION, "maxTriggerDelay", "minOffsetsPerTrigger");
    assertRefused(base("minOffsetsPerTrigger", "1", "maxTriggerDelay", "5 parsecs"), ZdlErrors.INVALID_OPTION,
        "maxTriggerDelay");
  }

  @Test
  void consumerSettingsForceByteArraysNoCommitsAndNoSilentReset() {
    KafkaSourceConf conf = KafkaSourceConf.parse(base("kafka.max.poll.records", "1000"));
    Map<String, Object> p = conf.kafkaParams().consumerParams(conf.executorGroupId("q1"));
    assertEquals(ByteArrayDeserializer.class, p.get(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG));
    assertEquals(ByteArrayDeserializer.class, p.get(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG));
    assertEquals("false", p.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
    assertEquals("none", p.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG));
    assertEquals("zdl-kafka-source-q1", p.get(ConsumerConfig.GROUP_ID_CONFIG));
    assertEquals("1000", p.get("max.poll.records"));
    assertEquals("65536", p.get(ConsumerConfig.RECEIVE_BUFFER_CONFIG));
  }

  @Test
  void consumersTakeAWholeFetchPerPollUnlessTold() {
    KafkaSourceConf conf = KafkaSourceConf.parse(base());
    assertEquals("100000", conf.kafkaParams().consumerParams("g").get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG));
    assertFalse(conf.kafkaParams().adminParams().containsKey(ConsumerConfig.MAX_POLL_RECORDS_CONFIG));
  }

  @Test
  void groupIdComesFromThePrefixOrTheUsersGroupId() {
    KafkaSourceConf prefixed = KafkaSourceConf.parse(base("groupIdPrefix", "team-a"));
    assertEquals("team-a-q", prefixed.kafkaParams().consumerParams(prefixed.executorGroupId("q"))
        .get(ConsumerConfig.GROUP_ID_CONFIG));
    KafkaSourceConf fixed = KafkaSourceConf.parse(base("kafka.group.id", "acl-group"));
    assertEquals("acl-group", fixed.kafkaParams().consumerParams(fixed.executorGroupId("q"))
        .get(ConsumerConfig.GROUP_ID_CONFIG));
  }

  @Test
  void secretsNeverAppearInDescriptions() {
    String secret = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"s3cr3t-pw\";";
    KafkaSourceConf conf = KafkaSourceConf.parse(base("kafka.sasl.jaas.config", secret,
        "kafka.ssl.truststore.password", "tr-pw-42"));
    for (String s : new String[] {conf.toString(), conf.kafkaParams().toString()}) {
      assertFalse(s.contains("s3cr3t-pw"), s);
      assertFalse(s.contains("tr-pw-42"), s);
    }
  }

  @Test
  void fetchOffsetNumRetriesAboveItsMaximumIsRefusedNotCapped() {
    assertEquals(1000, KafkaSourceConf.parse(base("fetchOffset.numRetries", "1000")).fetchOffsetNumRetries());
    assertRefused(base("fetchOffset.numRetries", "1001"), ZdlErrors.INVALID_OPTION, "fetchOffset.numRetries", "1001",
        "from 0 to 1000");
  }

  @Test
  void aDurationTooLargeForMillisecondsIsRefusedNotWrapped() {
    assertRefused(base("minOffsetsPerTrigger", "1", "maxTriggerDelay", "999999999999999d"), ZdlErrors.INVALID_OPTION,
        "maxTriggerDelay", "999999999999999d");
  }

  @Test
  void anUnknownOptionIsRefusedNamingTheClosestKnownOne() {
    assertRefused(base("startingOffset", "earliest"), ZdlErrors.INVALID_OPTION, "startingOffset",
        "did you mean startingOffsets?");
    assertRefused(base("colour", "red"), ZdlErrors.INVALID_OPTION, "colour", "kafka.*");
  }

  @Test
  void sparksOwnPathOptionAndKafkaSettingsAreNotUnknown() {
    KafkaSourceConf.parse(base("path", "/ignored", "kafka.client.id", "c1")).startingOffsetsForStream();
  }
}
