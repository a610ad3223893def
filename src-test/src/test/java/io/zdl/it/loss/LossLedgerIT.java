package io.zdl.it.loss;

import static io.zdl.it.support.Queries.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.support.Sources;
import io.zdl.it.support.TestRecords;
import io.zdl.it.support.TestRecords.Produced;
import io.zdl.it.support.ZdlTables;
import io.zdl.spark.delta.CommitSummary;
import io.zdl.spark.kafka.consumer.ConsumerPool;
import io.zdl.spark.kafka.consumer.PartitionConsumer;
import io.zdl.spark.kafka.read.ReadCounters;
import io.zdl.spark.loss.DataLossPolicy;
import io.zdl.spark.loss.ExecutorLossRecorder;
import io.zdl.spark.loss.LossCause;
import io.zdl.spark.loss.LossLedger;
import io.zdl.spark.loss.SkippedRange;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Opting out of failOnDataLoss is audited: each skipped range is in the checkpoint's ledger, counted
 * in the progress report and, with zdl-delta, kept in the batch's Delta commit.
 */
class LossLedgerIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  private final SparkSession spark = SparkTestSession.get();

  private StreamingQuery toTable(String topic, Path table, Path checkpoint, String... sourceOptions) {
    return availableNowIntoZdlDelta(Sources.stream(spark, KAFKA.broker(), "subscribe", topic, "startingOffsets",
        "earliest").options(Sources.options(sourceOptions)).load(), table, checkpoint);
  }

  private void deleteBefore(String topic, int partition, long offset) throws Exception {
    KAFKA.broker().admin().deleteRecords(Map.of(new org.apache.kafka.common.TopicPartition(topic, partition),
        RecordsToDelete.beforeOffset(offset))).all().get();
  }

  @Test
  void skippedRangesAreInTheLedgerTheProgressAndTheDeltaCommit() throws Exception {
    String topic = unique("ledger");
    KAFKA.broker().createTopic(topic, 2);
    List<Produced> produced = new ArrayList<>(TestRecords.produce(KAFKA.broker(), topic, 2, 0, 60)); // 30 each
    Path table = newDir("table");
    Path checkpoint = newDir("cp");
    awaitTermination(toTable(topic, table, checkpoint), 180);

    produced.addAll(TestRecords.produce(KAFKA.broker(), topic, 2, 60, 60)); // offsets 30..59 in each partition
    deleteBefore(topic, 0, 45); // partition 0 loses [30, 45) before the query reads it

    // the default stops, names the range, and writes nothing
    long versionsBefore = ZdlTables.zdlCommits(spark, table.toString()).size();
    StreamingQuery strict = toTable(topic, table, checkpoint);
    Exception e = assertThrows(Exception.class, () -> strict.awaitTermination(180_000));
    String message = fullMessage(e);
    assertTrue(message.contains("ZDL_DATA_LOSS.OFFSETS_OUT_OF_RANGE")
        && message.contains("topic " + topic + " partition 0 offsets [30, 45)"), message);
    assertEquals(versionsBefore, ZdlTables.zdlCommits(spark, table.toString()).size());

    StreamingQuery lenient = toTable(topic, table, checkpoint, "failOnDataLoss", "false");
    awaitTermination(lenient, 180);

    List<String> expected = TestRecords.canonical(
        produced.stream().filter(p -> !(p.partition() == 0 && p.offset() >= 30 && p.offset() < 45)).toList(), false);
    assertEquals(expected, TestRecords.canonicalRows(spark.read().format("delta").load(table.toString())
        .collectAsList()));

    // the ledger: one entry, under the batch that skipped it
    List<SkippedRange> ledger = ledgerOf(checkpoint).all();
    assertEquals(1, ledger.size(), ledger.toString());
    SkippedRange skipped = ledger.get(0);
    assertEquals(topic, skipped.topicPartition().topic());
    assertEquals(0, skipped.topicPartition().partition());
    assertEquals(30, skipped.fromOffset());
    assertEquals(45, skipped.untilOffset());
    assertEquals(LossCause.OFFSETS_OUT_OF_RANGE, skipped.cause());

    // the progress report of that batch
    long lostInProgress = 0;
    long readInProgress = 0;
    for (StreamingQueryProgress p : lenient.recentProgress()) {
      for (SourceProgress s : p.sources()) {
        lostInProgress += Long.parseLong(s.metrics().getOrDefault("lostRecords", "0"));
        readInProgress += Long.parseLong(s.metrics().getOrDefault("recordsRead", "0"));
        assertTrue(s.metrics().containsKey("bytesRead"), s.metrics().toString());
      }
    }
    assertEquals(15, lostInProgress);
    assertEquals(45, readInProgress, "30 + 15 records were left to read");

    // the table says what it is missing, in the commit of that batch
    List<CommitSummary> commits = ZdlTables.zdlCommits(spark, table.toString());
    CommitSummary last = commits.get(commits.size() - 1);
    assertEquals(skipped.batchId(), last.batchId());
    assertEquals(1, last.lost().size(), last.lost().toString());
    assertEquals(15, last.lost().get(0).recordCount());
    assertEquals(LossCause.OFFSETS_OUT_OF_RANGE, last.lost().get(0).cause());
    for (int i = 0; i < commits.size() - 1; i++) {
      assertTrue(commits.get(i).lost().isEmpty());
    }

    // a restart finds nothing new to skip and adds nothing twice
    awaitTermination(toTable(topic, table, checkpoint, "failOnDataLoss", "false"), 180);
    assertEquals(1, ledgerOf(checkpoint).all().size());
    assertEquals(expected.size(), spark.read().format("delta").load(table.toString()).count());
  }

  @Test
  void aRangeAnExecutorFindsGoneWhileReadingIsRecordedInTheLedger() throws Exception {
    // executors meet lost offsets when retention acts between planning and reading; here the records are
    // deleted before a real executor-side consumer reads the range it was given
    String topic = unique("exec-loss");
    KAFKA.broker().createTopic(topic, 1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 40);
    deleteBefore(topic, 0, 25);
    Path ledgerDir = newDir("ledger");
    LossLedger ledger = new LossLedger(ledgerDir.toString(), spark.sparkContext().hadoopConfiguration());
    ReadCounters counters = ReadCounters.register(spark.sparkContext(), "executor-loss test");
    DataLossPolicy policy = new DataLossPolicy(false, SkippedRange.DetectedOn.EXECUTOR,
        new ExecutorLossRecorder(ledger, counters));
    Map<String, Object> params = new HashMap<>();
    params.put("bootstrap.servers", KAFKA.broker().bootstrapServers());
    params.put("key.deserializer", "io.zdl.shaded.org.apache.kafka.common.serialization.ByteArrayDeserializer");
    params.put("value.deserializer", "io.zdl.shaded.org.apache.kafka.common.serialization.ByteArrayDeserializer");
    params.put("enable.auto.commit", "false");
    params.put("auto.offset.reset", "none");
    params.put("group.id", unique("exec-loss-group"));
    PartitionConsumer consumer = ConsumerPool.get().acquire(params, new io.zdl.shaded.org.apache.kafka.common
        .TopicPartition(topic, 0));
    try {
      var first = consumer.next(10, 40, 30_000, policy);
      assertEquals(25, first.offset(), "reading resumes at the log start");
    } finally {
      ConsumerPool.get().discard(consumer);
    }
    List<SkippedRange> recorded = ledger.all();
    assertEquals(1, recorded.size(), recorded.toString());
    assertEquals(10, recorded.get(0).fromOffset());
    assertEquals(25, recorded.get(0).untilOffset());
    assertEquals(SkippedRange.DetectedOn.EXECUTOR, recorded.get(0).detectedOn());
    assertEquals(15, counters.snapshot().lostRecords);
    try (Stream<Path> files = Files.list(ledgerDir.resolve(LossLedger.DIR_NAME))) {
      assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temp file left behind");
    }
  }

  @Test
  void tasksWriteTheLedgerWithItsHadoopConfigurationBroadcastNotCarriedByEachTask() throws Exception {
    Path ledgerDir = newDir("ledger-broadcast");
    LossLedger onDriver = new LossLedger(ledgerDir.toString(), spark.sparkContext().hadoopConfiguration());
    LossLedger forTasks = onDriver.sharedWithExecutors(spark.sparkContext());
    int wholeBytes = serializedSize(onDriver);
    int taskBytes = serializedSize(forTasks);
    assertTrue(wholeBytes > 10_000, "the ledger with its Hadoop configuration is " + wholeBytes + " bytes");
    assertTrue(taskBytes < 2_000, "what each task carries is " + taskBytes + " bytes");

    // written from real tasks: each finds the configuration through the broadcast
    JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(Arrays.asList(0, 1), 2).foreach(p ->
        forTasks.record(new SkippedRange(new io.zdl.shaded.org.apache.kafka.common.TopicPartition("t", p), 10, 20,
            LossCause.OFFSETS_OUT_OF_RANGE, 7, 1_000L, SkippedRange.DetectedOn.EXECUTOR)));

    List<SkippedRange> recorded = onDriver.forBatch(7);
    assertEquals(2, recorded.size(), recorded.toString());
  }

  private static int serializedSize(Object o) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.size();
  }

  @Test
  void aTopicDeletedAndRecreatedStopsTheQueryEvenWhenItsOffsetsLookValid() throws Exception {
    String topic = unique("recreated");
    KAFKA.broker().createTopic(topic, 1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 20);
    Path checkpoint = newDir("cp");
    assertEquals(20, readAvailableNow(stream(topic), checkpoint).size());

    // the new topic grows past the old position: offsets alone would not show that [0, 20) of it were skipped
    KAFKA.broker().deleteTopic(topic);
    KAFKA.broker().createTopic(topic, 1);
    List<Produced> recreated = TestRecords.produce(KAFKA.broker(), topic, 1, 100, 30);

    Exception e = assertThrows(Exception.class, () -> readAvailableNow(stream(topic), checkpoint));
    String message = fullMessage(e);
    assertTrue(message.contains("ZDL_DATA_LOSS.TOPIC_RECREATED")
        && message.contains("topic " + topic + " partition 0 offsets [0, 20)"), message);
    assertTrue(ledgerOf(checkpoint).all().isEmpty(), "a stop records nothing as skipped");

    // opted out: the query goes on from its position and the skipped part of the new topic is recorded
    List<Row> rows = readAvailableNow(stream(topic, "failOnDataLoss", "false"), checkpoint);
    assertEquals(TestRecords.canonical(recreated.subList(20, 30), false), TestRecords.canonicalRows(rows));
    List<SkippedRange> ledger = ledgerOf(checkpoint).all();
    assertEquals(1, ledger.size(), ledger.toString());
    assertEquals(LossCause.TOPIC_RECREATED, ledger.get(0).cause());
    assertEquals(20, ledger.get(0).recordCount());

    // and it is reported once: the next run reads on without a new entry
    TestRecords.produce(KAFKA.broker(), topic, 1, 200, 5);
    assertEquals(5, readAvailableNow(stream(topic), checkpoint).size());
    assertEquals(1, ledgerOf(checkpoint).all().size());
  }

  private org.apache.spark.sql.Dataset<Row> stream(String topic, String... options) {
    return Sources.stream(spark, KAFKA.broker(), "subscribe", topic, "startingOffsets", "earliest")
        .options(Sources.options(options)).load();
  }

  /** The loss ledger of the query's (only) source. */
  private LossLedger ledgerOf(Path checkpoint) {
    return new LossLedger(checkpoint.resolve("sources").resolve("0").toString(),
        spark.sparkContext().hadoopConfiguration());
  }
}
