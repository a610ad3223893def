package io.zdl.it.source;

import static io.zdl.it.support.Queries.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.support.Sources;
import io.zdl.it.support.TestRecords;
import io.zdl.it.support.TestRecords.Produced;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each option of zdl-kafka shown by its effect on a real broker, and invalid input refused through Spark. */
class SourceOptionsIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  private final SparkSession spark = SparkTestSession.get();

  private DataStreamReader stream(String... options) {
    return Sources.stream(spark, KAFKA.broker(), options);
  }


  private DataFrameReader batch(String... options) {
    return Sources.batch(spark, KAFKA.broker(), options);
  }


  private static List<String> expected(List<Produced> produced, java.util.function.Predicate<Produced> keep) {
    return TestRecords.canonical(produced.stream().filter(keep).toList(), false);
  }

  private String topicWith(int partitions, int records, List<Produced> out) {
    String topic = unique("opt");
    KAFKA.broker().createTopic(topic, partitions);
    out.addAll(TestRecords.produce(KAFKA.broker(), topic, partitions, 0, records));
    return topic;
  }

  @Test
  void startingOffsetsLatestReadsOnlyRecordsProducedAfterTheQueryStarted() throws Exception {
    List<Produced> produced = new ArrayList<>();
    String topic = topicWith(2, 20, produced);
    Path cp = newDir("cp");
    assertEquals(List.of(), readAvailableNow(stream("subscribe", topic).load(), cp));
    List<Produced> later = TestRecords.produce(KAFKA.broker(), topic, 2, 20, 6);
    assertEquals(TestRecords.canonical(later, false), TestRecords.canonicalRows(readAvailableNow(
        stream("subscribe", topic).load(), cp)));
  }

  @Test
  void startingOffsetsJsonStartsEachPartitionWhereItSays() throws Exception {
    List<Produced> produced = new ArrayList<>();
    String topic = topicWith(3, 30, produced); // 10 per partition
    String json = "{\"" + topic + "\":{\"0\":4,\"1\":-2,\"2\":-1}}";
    List<Row> rows = readAvailableNow(stream("subscribe", topic, "startingOffsets", json).load(), newDir("cp"));
    assertEquals(expected(produced, p -> p.partition() == 0 ? p.offset() >= 4 : p.partition() == 1),
        TestRecords.canonicalRows(rows));
  }

  @Test
  void startingOffsetsJsonMustCoverEveryPartition() throws Exception {
    List<Produced> produced = new ArrayList<>();
    String topic = topicWith(2, 4, produced);
    Dataset<Row> df = stream("subscribe", topic, "startingOffsets", "{\"" + topic + "\":{\"0\":1}}").load();
    String message = failureOf(df);
    assertTrue(message.contains("ZDL_INVALID_OPTION") && message.contains("startingOffsets")
        && message.contains(topic + "-1"), message);
  }

  @Test
  void startingTimestampAndByTimestampStartAtTheFirstRecordAtOrAfterIt() throws Exception {
    List<Produced> produced = new ArrayList<>();
    String topic = topicWith(2, 40, produced);
    long ts = TestRecords.BASE_TIMESTAMP_MS + 25;
    List<Row> rows = readAvailableNow(stream("subscribe", topic, "startingTimestamp", Long.toString(ts)).load(),
        newDir("cp"));
    assertEquals(expected(produced, p -> p.timestampMs() >= ts), TestRecords.canonicalRows(rows));

    String byTs = "{\"" + topic + "\":{\"0\":" + (TestRecords.BASE_TIMESTAMP_MS + 30) + ",\"1\":"
        + (TestRecords.BASE_TIMESTAMP_MS + 10) + "}}";
    rows = readAvailableNow(stream("subscribe", topic, "startingOffsetsByTimestamp", byTs).load(), newDir("cp"));
    assertEquals(expected(produced, p -> p.timestampMs() >= TestRecords.BASE_TIMESTAMP_MS + (p.partition() == 0 ? 30 : 10)),
        TestRecords.canonicalRows(rows));
  }

  @Test
  void timestampAfterEveryRecordFailsUnlessTheStrategyIsLatest() throws Exception {
    List<Produced> produced = new ArrayList<>();
    String topic = topicWith(1, 5, produced);
    String future = Long.toString(TestRecords.BASE_TIMESTAMP_MS + 1_000_000);
    String message = failureOf(stream("subscribe", topic, "startingTimestamp", future).load());
    assertTrue(message.contains("startingOffsetsByTimestampStrategy=latest"), message);

    Path cp = newDir("cp");
    assertEquals(List.of(), readAvailableNow(stream("subscribe", topic, "startingTimestamp", future,
        "startingOffsetsByTimestampStrategy", "latest").load(), cp));
    List<Produced> later = TestRecords.produce(KAFKA.broker(), topic, 1, 5, 3);
    assertEquals(TestRecords.canonical(later, false), TestRecords.canonicalRows(readAvailableNow(
        stream("subscribe", topic, "startingTimestamp", future, "startingOffsetsByTimestampStrategy", "latest").load(),
        cp)));
  }

  @Test
  void maxOffsetsPerTriggerCapsEveryBatch() throws Exception {
    List<Produced> produced = new ArrayList<>();
    String topic = topicWith(3, 100, produced);
    StreamingQuery q = stream("subscribe", topic, "startingOffsets", "earliest", "maxOffsetsPerTrigger", "25")
        .load().writeStream().format("noop").option("checkpointLocation", newDir("cp").toString())
        .trigger(Trigger.AvailableNow()).start();
    awaitTermination(q, 180);
    List<Long> sizes = Arrays.stream(q.recentProgress()).map(StreamingQueryProgress::numInputRows)
        .filter(n -> n > 0).toList();
    assertEquals(List.of(25L, 25L, 25L, 25L), sizes);
  }

  @Test
  void minOffsetsPerTriggerHoldsBatchesBackUntilEnoughRecordsArrived() throws Exception {
    List<Produced> produced = new ArrayList<>();
    String topic = topicWith(2, 10, produced);
    Path cp = newDir("cp");
    // the minimum applies from the start: 10 records wait, so do 40
    StreamingQuery q = stream("subscribe", topic, "startingOffsets", "earliest", "minOffsetsPerTrigger", "50",
        "maxTriggerDelay", "1h").load().writeStream().format("noop").option("checkpointLocation", cp.toString())
        .trigger(Trigger.ProcessingTime("100 milliseconds")).start();
    try {
      TestRecords.produce(KAFKA.broker(), topic, 2, 10, 30);
      // no progress event marks a trigger that found too little, so let some 20 triggers pass
      sleepMillis(2000);
      assertEquals(0L, rowsRead(q), "no batch may run below minOffsetsPerTrigger within maxTriggerDelay");
      TestRecords.produce(KAFKA.broker(), topic, 2, 40, 20);
      eventually(60, "the held-back records in one batch", q, () -> rowsRead(q) == 60L);
      assertTrue(Arrays.stream(q.recentProgress()).anyMatch(p -> p.numInputRows() == 60L));
    } finally {
      q.stop();
    }
  }

  private static void sleepMillis(long ms) throws Exception {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long rowsRead(StreamingQuery q) {
    return Arrays.stream(q.recentProgress()).mapToLong(StreamingQueryProgress::numInputRows).sum();
  }

  @Test
  void minPartitionsSplitsRangesIntoMoreSparkPartitionsWithTheSameRows() throws Exception {
    List<Produced> produced = new ArrayList<>();
    String topic = topicWith(2, 200, produced);
    Dataset<Row> df = batch("subscribe", topic, "minPartitions", "10").load();
    assertTrue(df.rdd().getNumPartitions() >= 10, "partitions: " + df.rdd().getNumPartitions());
    assertEquals(TestRecords.canonical(produced, false), TestRecords.canonicalRows(df.collectAsList()));
    assertEquals(2, batch("subscribe", topic).load().rdd().getNumPartitions());
  }

  @Test
  void includeHeadersAddsTheHeadersColumn() throws Exception {
    List<Produced> produced = new ArrayList<>();
    String topic = topicWith(1, 6, produced);
    StructType without = batch("subscribe", topic).load().schema();
    StructType with = batch("subscribe", topic, "includeHeaders", "true").load().schema();
    assertEquals(List.of("key", "value", "topic", "partition", "offset", "timestamp", "timestampType"),
        Arrays.asList(without.fieldNames()));
    assertEquals("headers", with.fieldNames()[7]);
    assertEquals(TestRecords.canonical(produced, true),
        TestRecords.canonicalRows(batch("subscribe", topic, "includeHeaders", "true").load().collectAsList()));
  }

  @Test
  void subscribePatternPicksUpTopicsCreatedWhileTheQueryRuns() throws Exception {
    String prefix = unique("pat");
    KAFKA.broker().createTopic(prefix + "-a", 2);
    List<Produced> produced = new ArrayList<>(TestRecords.produce(KAFKA.broker(), prefix + "-a", 2, 0, 10));
    KAFKA.broker().createTopic(prefix + "-x-ignored", 1);
    TestRecords.produce(KAFKA.broker(), prefix + "-x-ignored", 1, 0, 5);
    String table = unique("pattern").replace('-', '_');
    StreamingQuery q = stream("subscribePattern", prefix.replace("-", "\\-") + "-[a-c]", "startingOffsets", "earliest")
        .load().writeStream().format("memory").queryName(table)
        .option("checkpointLocation", newDir("cp").toString()).trigger(Trigger.ProcessingTime("200 milliseconds"))
        .start();
    try {
      eventually(60, "topic a's records", q, () -> spark.table(table).count() == 10);
      KAFKA.broker().createTopic(prefix + "-b", 3);
      produced.addAll(TestRecords.produce(KAFKA.broker(), prefix + "-b", 3, 100, 12));
      eventually(60, "topic b's records", q, () -> spark.table(table).count() == 22);
    } finally {
      q.stop();
    }
    assertEquals(TestRecords.canonical(produced, false), TestRecords.canonicalRows(spark.table(table).collectAsList()));
  }

  @Test
  void assignReadsOnlyTheListedPartitions() throws Exception {
    List<Produced> produced = new ArrayList<>();
    String topic = topicWith(3, 30, produced);
    List<Row> rows = batch("assign", "{\"" + topic + "\":[0,2]}").load().collectAsList();
    assertEquals(expected(produced, p -> p.partition() != 1), TestRecords.canonicalRows(rows));
  }

  @Test
  void endingOffsetsAndEndingTimestampBoundABatchRead() throws Exception {
    List<Produced> produced = new ArrayList<>();
    String topic = topicWith(2, 40, produced);
    List<Row> rows = batch("subscribe", topic, "endingOffsets", "{\"" + topic + "\":{\"0\":5,\"1\":-1}}")
        .load().collectAsList();
    assertEquals(expected(produced, p -> p.partition() == 1 || p.offset() < 5), TestRecords.canonicalRows(rows));
    Exception past = assertThrows(Exception.class, () -> batch("subscribe", topic, "endingOffsets",
        "{\"" + topic + "\":{\"0\":5,\"1\":500}}").load().collectAsList());
    assertTrue(past.getMessage().contains("endingOffsets") && past.getMessage().contains("past the end of the log (20)"),
        past.getMessage());
    long ts = TestRecords.BASE_TIMESTAMP_MS + 16;
    rows = batch("subscribe", topic, "endingTimestamp", Long.toString(ts)).load().collectAsList();
    assertEquals(expected(produced, p -> p.timestampMs() < ts), TestRecords.canonicalRows(rows));
  }

  @Test
  void lostOffsetsStopTheReadNamingTopicPartitionAndRangeUnlessFailOnDataLossIsFalse() throws Exception {
    List<Produced> produced = new ArrayList<>();
    String topic = topicWith(1, 50, produced);
    KAFKA.broker().admin().deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(20)))
        .all().get();
    String from0 = "{\"" + topic + "\":{\"0\":0}}";
    Exception e = assertThrows(Exception.class,
        () -> batch("subscribe", topic, "startingOffsets", from0).load().collectAsList());
    String message = fullMessage(e);
    assertTrue(message.contains("ZDL_DATA_LOSS.OFFSETS_OUT_OF_RANGE") && message.contains("topic " + topic
        + " partition 0 offsets [0, 20)") && message.contains("failOnDataLoss=false"), message);

    List<Row> rows = batch("subscribe", topic, "startingOffsets", from0, "failOnDataLoss", "false").load()
        .collectAsList();
    assertEquals(expected(produced, p -> p.offset() >= 20), TestRecords.canonicalRows(rows));
  }

  @Test
  void isolationLevelReadCommittedHidesAbortedAndOpenTransactions() throws Exception {
    String topic = unique("txn");
    KAFKA.broker().createTopic(topic, 1);
    java.util.Properties props = KAFKA.broker().producerProperties();
    props.put("transactional.id", topic + "-producer");
    try (org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]> producer =
        new org.apache.kafka.clients.producer.KafkaProducer<>(props)) {
      producer.initTransactions();
      for (String[] txn : new String[][] {{"c1", "c2"}, {"a1", "a2"}, {"c3"}}) {
        producer.beginTransaction();
        for (String v : txn) {
          producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, v.getBytes()));
        }
        producer.flush(); // so aborted records really are in the log, not dropped from the buffer
        if (txn[0].startsWith("a")) {
          producer.abortTransaction();
        } else {
          producer.commitTransaction();
        }
      }
      producer.beginTransaction(); // left open while we read
      producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "open".getBytes())).get();

      assertEquals(List.of("c1", "c2", "c3"), values(readAvailableNow(stream("subscribe", topic,
          "startingOffsets", "earliest", "kafka.isolation.level", "read_committed").load(), newDir("cp"))));
      assertEquals(List.of("a1", "a2", "c1", "c2", "c3", "open"), values(batch("subscribe", topic).load()
          .collectAsList()));
      producer.abortTransaction();
    }
  }

  private static List<String> values(List<Row> rows) {
    return rows.stream().map(r -> new String((byte[]) r.getAs("value"))).sorted().toList();
  }

  @Test
  void unreachableBrokerFailsWithinTheRetryBoundNamingTheFix() throws Exception {
    String message = fullMessage(assertThrows(Exception.class, () -> spark.read().format("zdl-kafka")
        .option("kafka.bootstrap.servers", "127.0.0.1:1").option("subscribe", "nowhere")
        .option("kafka.default.api.timeout.ms", "2000").option("kafka.request.timeout.ms", "1000")
        .option("fetchOffset.numRetries", "1").option("fetchOffset.retryIntervalMs", "10")
        .load().collectAsList()));
    assertTrue(message.contains("ZDL_KAFKA_OFFSET_LOOKUP_FAILED") && message.contains("after 2 attempt(s)")
        && message.contains("kafka.bootstrap.servers"), message);
  }

  @Test
  void triggerOnceReadsEverythingAvailableInOneBatch() throws Exception {
    List<Produced> produced = new ArrayList<>();
    String topic = topicWith(2, 30, produced);
    String table = unique("once").replace('-', '_');
    StreamingQuery q = stream("subscribe", topic, "startingOffsets", "earliest").load().writeStream().format("memory")
        .queryName(table).option("checkpointLocation", newDir("cp").toString()).trigger(Trigger.Once()).start();
    awaitTermination(q, 120);
    assertEquals(TestRecords.canonical(produced, false), TestRecords.canonicalRows(spark.table(table).collectAsList()));
    assertEquals(1, Arrays.stream(q.recentProgress()).filter(p -> p.numInputRows() > 0).count());
  }

  @Test
  void invalidOptionsFailAtLoadNamingTheOption() throws Exception {
    Map<String, String> bad = Map.of("maxOffsetsPerTrigger", "ten", "kafka.auto.offset.reset", "earliest",
        "includeHeaders", "yes", "minPartitions", "-3", "startingOffset", "earliest");
    for (Map.Entry<String, String> e : bad.entrySet()) {
      Exception ex = assertThrows(Exception.class, () -> stream("subscribe", "t", e.getKey(), e.getValue()).load());
      assertTrue(ex.getMessage().contains(e.getKey()), ex.getMessage());
      assertFalse(ex instanceof NumberFormatException || ex instanceof ClassCastException, ex.toString());
    }
    Exception ex = assertThrows(Exception.class, () -> stream("subscribe", "t")
        .schema(new StructType().add("value", "string")).load());
    assertTrue(ex.getMessage().contains("zdl-kafka") || ex.getMessage().contains("schema"), ex.getMessage());
  }

  /** Starts the stream and returns the failure's full message (the query must fail). */
  private String failureOf(Dataset<Row> df) throws Exception {
    StreamingQuery q = df.writeStream().format("noop").option("checkpointLocation", newDir("cp").toString())
        .trigger(Trigger.AvailableNow()).start();
    StreamingQueryException e = assertThrows(StreamingQueryException.class, () -> q.awaitTermination(120_000));
    return fullMessage(e);
  }
}
