package io.zdl.it.source;

import static io.zdl.it.support.Queries.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.support.Sources;
import io.zdl.it.support.TestRecords;
import io.zdl.it.support.TestRecords.Produced;
import io.zdl.spark.kafka.consumer.ConsumerPool;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Streaming reads against a real broker: exact rows, restart from the checkpoint, replay of a logged batch. */
class StreamingReadIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  /** Batch contents seen by foreachBatch, per run and batch id; static because Spark serializes the function. */
  private static final Map<String, List<String>> BATCHES = new ConcurrentHashMap<>();

  private final SparkSession spark = SparkTestSession.get();

  private Dataset<Row> stream(String topic, String... options) {
    return Sources.stream(spark, KAFKA.broker(), "subscribe", topic, "startingOffsets", "earliest")
        .options(Sources.options(options)).load();
  }

  @Test
  void streamsEveryRecordOfAMultiPartitionTopicWithAllFields() throws Exception {
    String topic = unique("exact");
    KAFKA.broker().createTopic(topic, 4);
    List<Produced> produced = TestRecords.produce(KAFKA.broker(), topic, 4, 0, 400);

    List<Row> rows = readAvailableNow(stream(topic, "includeHeaders", "true"), newDir("cp"));

    assertEquals(TestRecords.canonical(produced, true), TestRecords.canonicalRows(rows));
  }

  @Test
  void stoppedMidStreamAndRestartedFromTheCheckpointReadsEveryRecordExactlyOnce() throws Exception {
    String topic = unique("restart");
    KAFKA.broker().createTopic(topic, 3);
    List<Produced> produced = new ArrayList<>(TestRecords.produce(KAFKA.broker(), topic, 3, 0, 300));
    Path checkpoint = newDir("cp");
    Path output = newDir("out");

    StreamingQuery first = startParquet(topic, 40, checkpoint, output);
    eventually(120, "three batches", first, () -> first.lastProgress() != null && first.lastProgress().batchId() >= 2);
    first.stop();
    assertTrue(first.exception().isEmpty(), () -> "stop() must end the query cleanly: " + first.exception());
    long readBeforeStop = spark.read().parquet(output.toString()).count();
    assertTrue(readBeforeStop > 0 && readBeforeStop < 300, "stopped mid-stream after " + readBeforeStop);

    produced.addAll(TestRecords.produce(KAFKA.broker(), topic, 3, 300, 150));
    StreamingQuery second = stream(topic, "maxOffsetsPerTrigger", "40").writeStream().format("parquet")
        .option("checkpointLocation", checkpoint.toString()).trigger(Trigger.AvailableNow()).start(output.toString());
    awaitTermination(second, 180);

    List<Row> rows = spark.read().parquet(output.toString()).collectAsList();
    assertEquals(TestRecords.canonical(produced, false), TestRecords.canonicalRows(rows));
  }

  /**
   * A running stream plans each batch with offsets asked for the partitions it already reads; partitions
   * added to the topic meanwhile are found and read from their beginning, the old ones read on.
   */
  @Test
  void partitionsAddedToARunningStreamAreReadFromTheirBeginning() throws Exception {
    String topic = unique("grown");
    KAFKA.broker().createTopic(topic, 2);
    List<Produced> produced = new ArrayList<>(TestRecords.produce(KAFKA.broker(), topic, 2, 0, 60));
    Path checkpoint = newDir("cp");
    Path output = newDir("out");

    StreamingQuery q = startParquet(topic, 25, checkpoint, output);
    try {
      eventually(120, "the first 60 records", q, () -> parquetCount(output) == 60);
      KAFKA.broker().addPartitions(topic, 5);
      produced.addAll(TestRecords.produce(KAFKA.broker(), topic, 5, 60, 100));
      eventually(120, "all 160 records", q, () -> parquetCount(output) == 160);
    } finally {
      q.stop();
    }
    assertTrue(q.exception().isEmpty(), () -> "the query must not fail: " + q.exception());
    List<Row> rows = spark.read().parquet(output.toString()).collectAsList();
    assertEquals(TestRecords.canonical(produced, false), TestRecords.canonicalRows(rows));
    long newPartitionRows = rows.stream().filter(r -> r.<Integer>getAs("partition") >= 2).count();
    assertEquals(60, newPartitionRows, "100 records round-robin over 5 partitions: 20 in each new one");
  }

  /** A running stream of {@code topic} into parquet at {@code output}, a trigger every 100 ms. */
  private StreamingQuery startParquet(String topic, int maxOffsetsPerTrigger, Path checkpoint, Path output)
      throws Exception {
    return stream(topic, "maxOffsetsPerTrigger", Integer.toString(maxOffsetsPerTrigger)).writeStream()
        .format("parquet").option("checkpointLocation", checkpoint.toString())
        .trigger(Trigger.ProcessingTime("100 milliseconds")).start(output.toString());
  }

  /** Rows the parquet sink has committed; 0 before its first batch is in its log. */
  private long parquetCount(Path output) {
    if (!Files.exists(output.resolve("_spark_metadata").resolve("0"))) {
      return 0;
    }
    return spark.read().parquet(output.toString()).count();
  }

  @Test
  void aBatchLoggedButNotCommittedIsReplayedWithExactlyTheSameRecords() throws Exception {
    String topic = unique("replay");
    KAFKA.broker().createTopic(topic, 3);
    List<Produced> produced = new ArrayList<>(TestRecords.produce(KAFKA.broker(), topic, 3, 0, 120));
    Path checkpoint = newDir("cp");

    runRecordingBatches("run1", topic, checkpoint);
    TreeMap<Long, List<String>> run1 = batchesOf("run1");
    assertEquals(3, run1.size(), "120 records at 40 per trigger");
    long last = run1.lastKey();
    // the offset log holds our versioned JSON for each batch, with the leader epoch of each position
    String logged = Files.readString(checkpoint.resolve("offsets").resolve(Long.toString(last)));
    assertTrue(logged.contains("{\"version\":2,\"partitions\":{\"" + topic + "\""), logged);
    assertTrue(logged.contains("\"leaderEpochs\":{\"" + topic + "\":{\"0\":"), logged);

    // a crash after the batch ran but before Spark committed it: the commit log lacks the last batch
    Files.delete(checkpoint.resolve("commits").resolve(Long.toString(last)));
    Files.deleteIfExists(checkpoint.resolve("commits").resolve("." + last + ".crc"));
    produced.addAll(TestRecords.produce(KAFKA.broker(), topic, 3, 120, 60));

    runRecordingBatches("run2", topic, checkpoint);
    TreeMap<Long, List<String>> run2 = batchesOf("run2");
    assertEquals(last, run2.firstKey(), "the restart begins by replaying the uncommitted batch");
    assertEquals(run1.get(last), run2.get(last), "the replay reads exactly the logged range");

    List<String> once = new ArrayList<>();
    run1.forEach((id, rows) -> { if (id < last) once.addAll(rows); });
    run2.values().forEach(once::addAll);
    once.sort(null);
    assertEquals(TestRecords.canonical(produced, false), once);
  }

  @Test
  void progressReportsOffsetsBehindLatest() throws Exception {
    String topic = unique("lag");
    KAFKA.broker().createTopic(topic, 2);
    TestRecords.produce(KAFKA.broker(), topic, 2, 0, 100);
    Path checkpoint = newDir("cp");
    StreamingQuery q = stream(topic, "maxOffsetsPerTrigger", "20").writeStream().format("noop")
        .option("checkpointLocation", checkpoint.toString()).trigger(Trigger.AvailableNow()).start();
    awaitTermination(q, 180);

    List<StreamingQueryProgress> withData = new ArrayList<>();
    for (StreamingQueryProgress p : q.recentProgress()) {
      if (p.numInputRows() > 0) {
        withData.add(p);
      }
    }
    assertEquals(5, withData.size());
    Map<String, String> firstMetrics = withData.get(0).sources()[0].metrics();
    assertEquals("40", firstMetrics.get("maxOffsetsBehindLatest"), firstMetrics.toString());
    assertEquals("40", firstMetrics.get("minOffsetsBehindLatest"), firstMetrics.toString());
    assertEquals("40.0", firstMetrics.get("avgOffsetsBehindLatest"), firstMetrics.toString());
    Map<String, String> lastMetrics = withData.get(4).sources()[0].metrics();
    assertEquals("0", lastMetrics.get("maxOffsetsBehindLatest"), lastMetrics.toString());
    assertFalse(withData.get(0).sources()[0].description().contains(KAFKA.broker().bootstrapServers()),
        withData.get(0).sources()[0].description());
  }

  @Test
  void executorsReuseOneConsumerPerPartitionAcrossBatches() throws Exception {
    String topic = unique("reuse");
    KAFKA.broker().createTopic(topic, 3);
    TestRecords.produce(KAFKA.broker(), topic, 3, 0, 300);
    ConsumerPool pool = ConsumerPool.get(); // local mode: the executor is this JVM
    long createdBefore = pool.createdCount();
    long reusedBefore = pool.reusedCount();
    StreamingQuery q = start(stream(topic, "maxOffsetsPerTrigger", "30").writeStream().format("noop")
        .option("checkpointLocation", newDir("cp").toString()).trigger(Trigger.AvailableNow()));
    awaitTermination(q, 180);
    // 10 batches of 3 partitions: 3 consumers opened, the other 27 tasks reuse them
    assertEquals(3, pool.createdCount() - createdBefore);
    assertEquals(27, pool.reusedCount() - reusedBefore);
  }

  private void runRecordingBatches(String run, String topic, Path checkpoint) throws Exception {
    StreamingQuery q = stream(topic, "maxOffsetsPerTrigger", "40").writeStream()
        .foreachBatch((VoidFunction2<Dataset<Row>, Long>) (df, id) ->
            BATCHES.put(run + "/" + id, TestRecords.canonicalRows(df.collectAsList())))
        .option("checkpointLocation", checkpoint.toString()).trigger(Trigger.AvailableNow()).start();
    awaitTermination(q, 180);
  }

  private static TreeMap<Long, List<String>> batchesOf(String run) {
    TreeMap<Long, List<String>> out = new TreeMap<>();
    BATCHES.forEach((k, v) -> {
      if (k.startsWith(run + "/") && !v.isEmpty()) {
        out.put(Long.parseLong(k.substring(run.length() + 1)), v);
      }
    });
    return out;
  }
}
