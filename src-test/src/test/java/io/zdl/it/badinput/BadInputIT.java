package io.zdl.it.badinput;

import static io.zdl.it.support.Queries.eventually;
import static io.zdl.it.support.Queries.newDir;
import static io.zdl.it.support.Queries.unique;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.support.Sources;
import io.zdl.it.support.TestRecords;
import io.zdl.it.support.TestRecords.Produced;
import io.zdl.it.support.ZdlTables;
import io.zdl.spark.delta.CommitSummary;
import io.zdl.spark.error.ZdlException;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input against a running zdl-kafka into zdl-delta pipeline: a damaged checkpoint, a damaged zdl
 * record in the table's history, a topic that does not exist yet, a 10 MB record. Each ends in a
 * coded error or the right rows, and the rows already in the table stay there. (Malformed and
 * conflicting options, unknown offset versions in isolation, an unreachable broker, null keys, values
 * and header values are covered by KafkaSourceConfTest, DeltaSinkOptionsTest, KafkaSourceOffsetTest,
 * CommitSummaryTest, SourceOptionsIT, UnreachableBrokerIT (streams whose broker is not there or dies),
 * PartitionConsumerTest and every suite that produces with TestRecords.)
 */
class BadInputIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  private final SparkSession spark = SparkTestSession.get();

  /** zdl-kafka -> zdl-delta, AvailableNow, 40 offsets a batch; returns the query's failure or null. */
  private StreamingQueryException run(String topic, Path table, Path checkpoint) throws Exception {
    StreamingQuery q = Sources.sinkSuiteStream(spark, KAFKA.broker(), topic, "includeHeaders", "true").load()
        .writeStream().format("zdl-delta").option("checkpointLocation", checkpoint.toString())
        .trigger(Trigger.AvailableNow()).start(table.toString());
    try {
      if (!q.awaitTermination(TimeUnit.MINUTES.toMillis(5))) {
        q.stop();
        throw new AssertionError("the query did not finish within 5 minutes");
      }
      return null;
    } catch (StreamingQueryException e) {
      return e;
    }
  }

  private List<String> tableRows(Path table) {
    return TestRecords.canonicalRows(spark.read().format("delta").load(table.toString()).collectAsList());
  }

  private static String topic(int partitions) {
    String topic = unique("bad");
    KAFKA.broker().createTopic(topic, partitions);
    return topic;
  }

  private static String messages(Throwable t) {
    List<String> parts = new ArrayList<>();
    for (Throwable c = t; c != null && parts.size() < 20; c = c.getCause()) {
      parts.add(String.valueOf(c.getMessage()));
    }
    return String.join(" <- ", parts);
  }

  /** The offset log entry of {@code batch} with its source-offset line (the last) replaced. */
  private static void rewriteSourceOffset(Path checkpoint, long batch, String newLine) throws Exception {
    Path entry = checkpoint.resolve("offsets").resolve(Long.toString(batch));
    List<String> lines = new ArrayList<>(Files.readAllLines(entry, StandardCharsets.UTF_8));
    assertTrue(lines.get(lines.size() - 1).matches("\\{\"version\":[12],.*"), lines.toString());
    lines.set(lines.size() - 1, newLine);
    Files.writeString(entry, String.join("\n", lines), StandardCharsets.UTF_8);
    Files.deleteIfExists(entry.resolveSibling("." + batch + ".crc"));
  }

  /** A run that ends in the last batch's offset log entry written, its commit not (a crash in between). */
  private static long uncommitLastBatch(Path checkpoint) throws Exception {
    long last;
    try (var s = Files.list(checkpoint.resolve("commits"))) {
      last = s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).mapToLong(Long::parseLong)
          .max().orElseThrow();
    }
    Files.delete(checkpoint.resolve("commits").resolve(Long.toString(last)));
    Files.deleteIfExists(checkpoint.resolve("commits").resolve("." + last + ".crc"));
    return last;
  }

  @Test
  void corruptTruncatedOrFutureVersionOffsetLogEntriesStopTheQueryWithACodeAndLoseNothing() throws Exception {
    String topic = topic(2);
    List<Produced> produced = TestRecords.produce(KAFKA.broker(), topic, 2, 0, 120);
    Path table = newDir("table");
    Path checkpoint = newDir("cp");
    assertEquals(null, run(topic, table, checkpoint));
    List<String> before = tableRows(table);
    assertEquals(TestRecords.canonical(produced, true), before);
    long last = uncommitLastBatch(checkpoint); // Spark re-reads that entry on restart
    Path entry = checkpoint.resolve("offsets").resolve(Long.toString(last));
    String original = Files.readString(entry, StandardCharsets.UTF_8);
    String sourceLine = original.substring(original.lastIndexOf('\n') + 1);

    List<String[]> cases = List.of(
        new String[] {"ZDL_OFFSET_CORRUPT", sourceLine.substring(0, sourceLine.length() / 2)}, // truncated
        new String[] {"ZDL_OFFSET_CORRUPT", sourceLine.replace("\"partitions\"", "\"partitionz\"")}, // not ours
        new String[] {"ZDL_OFFSET_VERSION_UNSUPPORTED", sourceLine.replaceFirst("\"version\":[12]", "\"version\":99")});
    for (String[] c : cases) {
      Files.writeString(entry, original, StandardCharsets.UTF_8);
      rewriteSourceOffset(checkpoint, last, c[1]);
      StreamingQueryException e = run(topic, table, checkpoint);
      assertTrue(e != null, "the query must refuse " + c[1]);
      String m = messages(e);
      assertTrue(m.contains(c[0]) && m.contains("offset log"), m);
      assertEquals(before, tableRows(table), "nothing committed is lost, nothing added");
    }
    // the entry restored, the same checkpoint goes on: exactly the produced rows, each once
    Files.writeString(entry, original, StandardCharsets.UTF_8);
    assertEquals(null, run(topic, table, checkpoint));
    assertEquals(before, tableRows(table));
  }

  @Test
  void aCorruptZdlSummaryInTheTablesHistoryIsACodedErrorToReadersAndTheSinkGoesOn() throws Exception {
    String topic = topic(2);
    List<Produced> produced = new ArrayList<>(TestRecords.produce(KAFKA.broker(), topic, 2, 0, 60));
    Path table = newDir("table");
    Path checkpoint = newDir("cp");
    assertEquals(null, run(topic, table, checkpoint));
    // a commit whose metadata claims to be zdl-delta's but is cut short (a damaged or hand-edited log)
    String corrupt = "{\"writer\":\"zdl-delta\",\"version\":2,\"sinkId\":\"default\",\"batchId\":";
    // an empty append: Delta 3 records no commit for it unless told to (skipRecordingEmptyCommits, default true)
    String skip = "spark.databricks.delta.skipRecordingEmptyCommits";
    spark.conf().set(skip, "false");
    try {
      spark.read().format("delta").load(table.toString()).limit(0).write().format("delta").mode("append")
          .option("userMetadata", corrupt).save(table.toString());
    } finally {
      spark.conf().unset(skip);
    }
    assertEquals(corrupt, spark.sql("DESCRIBE HISTORY delta.`" + table + "` LIMIT 1").first().getAs("userMetadata"),
        "the corrupt summary is the table's last commit");
    ZdlException e = assertThrows(ZdlException.class, () -> ZdlTables.zdlCommits(spark, table.toString()));
    assertTrue(e.getMessage().contains("ZDL_OFFSET_CORRUPT"), e.getMessage());

    produced.addAll(TestRecords.produce(KAFKA.broker(), topic, 2, 60, 50));
    assertEquals(null, run(topic, table, checkpoint), "the sink's offsets live in txn entries, not the summary");
    assertEquals(TestRecords.canonical(produced, true), tableRows(table));
  }

  @Test
  void aTopicThatDoesNotExistYetIsReadFromItsStartOnceCreated() throws Exception {
    String topic = unique("later");
    Path table = newDir("table");
    StreamingQuery q = Sources.sinkSuiteStream(spark, KAFKA.broker(), topic, "includeHeaders", "true").load()
        .writeStream().format("zdl-delta").option("checkpointLocation", newDir("cp").toString())
        .trigger(Trigger.ProcessingTime(200, TimeUnit.MILLISECONDS)).start(table.toString());
    try {
      eventually(120, "a few empty batches on the missing topic", q, () -> q.recentProgress().length >= 3);
      KAFKA.broker().createTopic(topic, 2);
      List<Produced> produced = TestRecords.produce(KAFKA.broker(), topic, 2, 0, 70);
      eventually(180, "the new topic's records in the table", q,
          () -> Files.exists(table.resolve("_delta_log")) && spark.read().format("delta").load(table.toString())
              .count() >= produced.size());
      q.processAllAvailable();
      assertEquals(TestRecords.canonical(produced, true), tableRows(table));
    } finally {
      q.stop();
    }
  }

  @Test
  void aTenMegabyteRecordArrivesWhole() throws Exception {
    String topic = unique("large");
    int size = 10 * 1024 * 1024;
    KAFKA.broker().admin().createTopics(List.of(new NewTopic(topic, 1, (short) 1)
        .configs(Map.of("max.message.bytes", String.valueOf(size + 1024 * 1024))))).all().get(60, TimeUnit.SECONDS);
    eventually(60, "the topic's leader", () -> {
      try {
        KAFKA.broker().admin().describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS);
        return true;
      } catch (Exception e) {
        return false;
      }
    });
    byte[] big = new byte[size];
    for (int i = 0; i < size; i++) {
      big[i] = (byte) (i * 31 + i / 1000);
    }
    Properties props = KAFKA.broker().producerProperties();
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(size + 1024 * 1024));
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(4L * size));
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(props)) {
      p.send(new ProducerRecord<>(topic, 0, null, "small-1".getBytes(StandardCharsets.UTF_8))).get(60, TimeUnit.SECONDS);
      p.send(new ProducerRecord<>(topic, 0, "big".getBytes(StandardCharsets.UTF_8), big)).get(60, TimeUnit.SECONDS);
      p.send(new ProducerRecord<>(topic, 0, null, "small-2".getBytes(StandardCharsets.UTF_8))).get(60, TimeUnit.SECONDS);
    }
    Path table = newDir("table");
    assertEquals(null, run(topic, table, newDir("cp")));
    List<Row> rows = spark.read().format("delta").load(table.toString()).orderBy("offset").select("value", "offset")
        .collectAsList();
    assertEquals(List.of(0L, 1L, 2L), rows.stream().map(r -> r.getLong(1)).toList());
    assertArrayEquals(big, (byte[]) rows.get(1).get(0), "the 10 MB value, byte for byte");
    assertEquals("small-2", new String((byte[]) rows.get(2).get(0), StandardCharsets.UTF_8));
    assertEquals(3, ZdlTables.addedOffsets(ZdlTables.zdlCommits(spark, table.toString())));
  }
}
