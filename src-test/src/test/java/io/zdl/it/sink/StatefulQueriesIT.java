package io.zdl.it.sink;

import static io.zdl.it.support.Queries.awaitTermination;
import static io.zdl.it.support.Queries.fullMessage;
import static io.zdl.it.support.Queries.newDir;
import static io.zdl.it.support.Queries.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.support.Sources;
import io.zdl.it.support.TestRecords;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stateful queries (watermarked windows, dropDuplicates, stream-stream joins) into zdl-delta give the
 * same table as Spark's own kafka source into Delta's own sink, including batches without new Kafka
 * data that only emit closed windows; a replay writes nothing twice; plans the sink cannot attribute
 * or a stateful query on a new checkpoint are refused before anything is written.
 */
class StatefulQueriesIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  private static final int PER_ROUND = 40;

  private final SparkSession spark = SparkTestSession.get();

  /**
   * Record i: partition i % 2, value "<id>,<key>" with key i / keyEvery, event time key seconds after
   * the base: records of one key are duplicates of each other.
   */
  private static void produce(String topic, int first, int count, int keyEvery) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = KAFKA.broker().newProducer()) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (int i = first; i < first + count; i++) {
        String value = i + "," + (i / keyEvery);
        acks.add(producer.send(new ProducerRecord<>(topic, i % 2, TestRecords.BASE_TIMESTAMP_MS + (i / keyEvery) * 1000L, null,
            value.getBytes(StandardCharsets.UTF_8))));
      }
      for (Future<RecordMetadata> a : acks) {
        a.get(60, TimeUnit.SECONDS);
      }
    }
  }

  private static String topic() {
    String topic = unique("stateful");
    KAFKA.broker().createTopic(topic, 2);
    return topic;
  }

  private DataStreamReader zdl(String topic, String... options) {
    return Sources.stream(spark, KAFKA.broker(), "subscribe", topic, "startingOffsets", "earliest")
        .options(Sources.options(options));
  }

  private DataStreamReader builtIn(String topic) {
    return spark.readStream().format("kafka").option("kafka.bootstrap.servers", KAFKA.broker().bootstrapServers())
        .option("subscribe", topic).option("startingOffsets", "earliest");
  }

  /** id, key and event time parsed from a Kafka row. */
  private static Dataset<Row> events(Dataset<Row> kafka, String prefix) {
    return kafka.selectExpr("CAST(split(CAST(value AS STRING), ',')[0] AS LONG) AS " + prefix + "id",
        "CAST(split(CAST(value AS STRING), ',')[1] AS LONG) AS " + prefix + "key", "timestamp AS " + prefix + "ts");
  }

  private static Dataset<Row> windowCount(Dataset<Row> kafka) {
    return events(kafka, "").withWatermark("ts", "5 seconds")
        .groupBy(org.apache.spark.sql.functions.window(org.apache.spark.sql.functions.col("ts"), "10 seconds"))
        .count().selectExpr("window.start AS start", "window.end AS end", "count");
  }

  private static Dataset<Row> dedup(Dataset<Row> kafka) {
    return events(kafka, "").withWatermark("ts", "5 seconds").dropDuplicates("key", "ts")
        .selectExpr("key", "ts");
  }

  private StreamingQuery startDelta(Dataset<Row> rows, String format, Path table, Path checkpoint) throws Exception {
    return rows.writeStream().format(format).outputMode("append").option("checkpointLocation", checkpoint.toString())
        .trigger(Trigger.AvailableNow()).start(table.toString());
  }

  private List<String> rows(Path table) {
    return spark.read().format("delta").load(table.toString()).collectAsList().stream().map(Row::toString).sorted()
        .collect(Collectors.toList());
  }

  /** Per round: produce, then run both pipelines to the end of what is there. */
  private void compareWithBuiltIn(String[] topics, int keyEvery,
      Function<DataStreamReader[], Dataset<Row>> query) throws Exception {
    Path zdlTable = newDir("zdl-table");
    Path zdlCp = newDir("zdl-cp");
    Path deltaTable = newDir("delta-table");
    Path deltaCp = newDir("delta-cp");
    for (int round = 0; round < 2; round++) {
      for (String topic : topics) {
        produce(topic, round * PER_ROUND, PER_ROUND, keyEvery);
      }
      DataStreamReader[] zdlReaders = new DataStreamReader[topics.length];
      DataStreamReader[] builtInReaders = new DataStreamReader[topics.length];
      for (int t = 0; t < topics.length; t++) {
        zdlReaders[t] = zdl(topics[t]);
        builtInReaders[t] = builtIn(topics[t]);
      }
      awaitTermination(startDelta(query.apply(zdlReaders), "zdl-delta", zdlTable, zdlCp), 120);
      awaitTermination(startDelta(query.apply(builtInReaders), "delta", deltaTable, deltaCp), 120);
    }
    List<String> expected = rows(deltaTable);
    assertFalse(expected.isEmpty(), "the oracle wrote rows");
    assertEquals(expected, rows(zdlTable));
  }

  @Test
  void aWatermarkedWindowCountEqualsTheBuiltInPipelinesTableAndAReplayWritesNothingTwice() throws Exception {
    String topic = topic();
    Path zdlTable = newDir("zdl-table");
    Path zdlCp = newDir("zdl-cp");
    Path deltaTable = newDir("delta-table");
    Path deltaCp = newDir("delta-cp");
    for (int round = 0; round < 2; round++) {
      produce(topic, round * PER_ROUND, PER_ROUND, 1);
      awaitTermination(startDelta(windowCount(zdl(topic).load()), "zdl-delta", zdlTable, zdlCp), 120);
      awaitTermination(startDelta(windowCount(builtIn(topic).load()), "delta", deltaTable, deltaCp), 120);
    }
    List<String> expected = rows(deltaTable);
    assertFalse(expected.isEmpty(), "the oracle emitted closed windows");
    assertEquals(expected, rows(zdlTable));

    // a crash after the last Delta commit and before Spark's commit log entry: Spark replays the batch
    long versions = spark.sql("DESCRIBE HISTORY delta.`" + zdlTable + "`").count();
    deleteLastCommit(zdlCp);
    awaitTermination(startDelta(windowCount(zdl(topic).load()), "zdl-delta", zdlTable, zdlCp), 120);
    assertEquals(expected, rows(zdlTable), "the replay wrote nothing twice");
    assertEquals(versions, spark.sql("DESCRIBE HISTORY delta.`" + zdlTable + "`").count(), "the replay committed nothing");

    // the query goes on past the replayed batch
    produce(topic, 2 * PER_ROUND, PER_ROUND, 1);
    awaitTermination(startDelta(windowCount(zdl(topic).load()), "zdl-delta", zdlTable, zdlCp), 120);
    awaitTermination(startDelta(windowCount(builtIn(topic).load()), "delta", deltaTable, deltaCp), 120);
    assertEquals(rows(deltaTable), rows(zdlTable));
  }

  @Test
  void dropDuplicatesWithAWatermarkEqualsTheBuiltInPipelinesTable() throws Exception {
    // records 2k and 2k + 1 (on the two partitions) share key k and event time
    String topic = topic();
    compareWithBuiltIn(new String[] {topic}, 2, readers -> dedup(readers[0].load()));
  }

  @Test
  void aStreamStreamJoinOfTwoZdlKafkaSourcesEqualsTheBuiltInPipelinesTable() throws Exception {
    String left = topic();
    String right = topic();
    compareWithBuiltIn(new String[] {left, right}, 1, readers -> {
      Dataset<Row> l = events(readers[0].load(), "l_").withWatermark("l_ts", "5 seconds");
      Dataset<Row> r = events(readers[1].load(), "r_").withWatermark("r_ts", "5 seconds");
      return l.join(r, org.apache.spark.sql.functions.expr(
          "l_key = r_key AND r_ts BETWEEN l_ts - INTERVAL 2 SECONDS AND l_ts + INTERVAL 2 SECONDS"));
    });
  }

  @Test
  void aStatefulQueryOnANewCheckpointIsRefusedWhetherItResumesFromTheTableOrRereadsIt() throws Exception {
    String topic = topic();
    produce(topic, 0, PER_ROUND, 1);
    Path table = newDir("table");
    awaitTermination(startDelta(windowCount(zdl(topic).load()), "zdl-delta", table, newDir("cp")), 120);
    List<String> before = rows(table);
    produce(topic, PER_ROUND, PER_ROUND, 1);

    for (DataStreamReader reader : new DataStreamReader[] {zdl(topic, "startingOffsetsFromTable", table.toString()),
        zdl(topic)}) {
      StreamingQuery q = startDelta(windowCount(reader.load()), "zdl-delta", table, newDir("cp"));
      StreamingQueryException e = assertThrows(StreamingQueryException.class, () -> q.awaitTermination(120_000));
      String message = fullMessage(e);
      assertTrue(message.contains("ZDL_SINK_STATEFUL_OVERLAP") && message.contains("sinkId"), message);
      assertEquals(before, rows(table), "nothing was written");
    }
  }

  @Test
  void aUnionWithAnotherStreamingSourceIsRefusedBeforeTheFirstWrite() throws Exception {
    String topic = topic();
    produce(topic, 0, 10, 1);
    Dataset<Row> kafka = zdl(topic).load().selectExpr("CAST(value AS STRING) AS v");
    Dataset<Row> rate = spark.readStream().format("rate").load().selectExpr("CAST(value AS STRING) AS v");
    Path table = newDir("table");
    StreamingQuery q = startDelta(kafka.union(rate), "zdl-delta", table, newDir("cp"));
    StreamingQueryException e = assertThrows(StreamingQueryException.class, () -> q.awaitTermination(120_000));
    String message = fullMessage(e);
    assertTrue(message.contains("ZDL_SINK_FOREIGN_SOURCE") && message.contains("zdl-kafka"), message);
    assertFalse(Files.exists(table.resolve("_delta_log")), "no table was created");
  }

  private static void deleteLastCommit(Path checkpoint) throws Exception {
    long last;
    try (Stream<Path> s = Files.list(checkpoint.resolve("commits"))) {
      last = s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).mapToLong(Long::parseLong)
          .max().orElseThrow();
    }
    Files.delete(checkpoint.resolve("commits").resolve(Long.toString(last)));
    Files.deleteIfExists(checkpoint.resolve("commits").resolve("." + last + ".crc"));
  }
}
