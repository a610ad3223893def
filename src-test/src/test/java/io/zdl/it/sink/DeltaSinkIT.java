package io.zdl.it.sink;

import static io.zdl.it.support.Queries.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import io.zdl.it.support.Sources;
import io.zdl.it.support.TestRecords;
import io.zdl.it.support.TestRecords.Produced;
import io.zdl.it.support.ZdlTables;
import io.zdl.spark.delta.CommitSummary;
import io.zdl.spark.delta.TableOffsets;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** zdl-kafka into zdl-delta on local disk: exactly once across replays, lost checkpoints and overlaps. */
class DeltaSinkIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  private final SparkSession spark = SparkTestSession.get();

  private DataStreamReader source(String topic, String... options) {
    return Sources.sinkSuiteStream(spark, KAFKA.broker(), topic, options);
  }


  /** Runs source -> (transform) -> zdl-delta with Trigger.AvailableNow until done. */
  private void run(Dataset<Row> stream, Path table, Path checkpoint, String... sinkOptions) throws Exception {
    StreamingQuery q = start(sink(stream, checkpoint, sinkOptions), table);
    awaitTermination(q, 300);
  }

  private DataStreamWriter<Row> sink(Dataset<Row> stream, Path checkpoint, String... sinkOptions) {
    DataStreamWriter<Row> w = stream.writeStream().format("zdl-delta")
        .option("checkpointLocation", checkpoint.toString()).trigger(Trigger.AvailableNow());
    for (int i = 0; i < sinkOptions.length; i += 2) {
      w = w.option(sinkOptions[i], sinkOptions[i + 1]);
    }
    return w;
  }

  private static StreamingQuery start(DataStreamWriter<Row> w, Path table) throws Exception {
    return w.start(table.toString());
  }

  private List<String> tableRows(Path table) {
    return TestRecords.canonicalRows(spark.read().format("delta").load(table.toString()).collectAsList());
  }

  private List<CommitSummary> summaries(Path table) {
    return ZdlTables.zdlCommits(spark, table.toString());
  }

  private static String topic(int partitions) {
    String topic = unique("sink");
    KAFKA.broker().createTopic(topic, partitions);
    return topic;
  }

  private static void deleteRecursively(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void everyRecordLandsExactlyOnceInOneCommitPerBatchWithTheOffsetsInTheTable() throws Exception {
    String topic = topic(3);
    List<Produced> produced = TestRecords.produce(KAFKA.broker(), topic, 3, 0, 200);
    Path table = newDir("table");
    run(source(topic, "includeHeaders", "true").load(), table, newDir("cp"));

    assertEquals(TestRecords.canonical(produced, true), tableRows(table));
    List<CommitSummary> commits = summaries(table);
    assertEquals(5, commits.size(), "200 offsets at 40 per batch");
    for (CommitSummary c : commits) {
      assertTrue(c.gaps().isEmpty());
    }
    assertEquals(200, ZdlTables.addedOffsets(commits));
    assertEquals(ZdlTables.nextOffsets(produced), TableOffsets.committed(spark, table.toString(), "default"));
  }

  @Test
  void aReplayedBatchAddsNoCommitAndNoRow() throws Exception {
    String topic = topic(2);
    List<Produced> produced = TestRecords.produce(KAFKA.broker(), topic, 2, 0, 100);
    Path table = newDir("table");
    Path cp = newDir("cp");
    run(source(topic).load(), table, cp);
    int commitsBefore = summaries(table).size();
    // a crash after the Delta commit and before Spark's commit log entry: Spark replays the batch
    long last;
    try (Stream<Path> s = Files.list(cp.resolve("commits"))) {
      last = s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d+")).mapToLong(Long::parseLong)
          .max().orElseThrow();
    }
    Files.delete(cp.resolve("commits").resolve(Long.toString(last)));
    Files.deleteIfExists(cp.resolve("commits").resolve("." + last + ".crc"));

    run(source(topic).load(), table, cp);

    assertEquals(commitsBefore, summaries(table).size(), "the replay must not commit");
    assertEquals(TestRecords.canonical(produced, false), tableRows(table));
  }

  @Test
  void aLostCheckpointResumesFromTheTable() throws Exception {
    String topic = topic(3);
    List<Produced> produced = new ArrayList<>(TestRecords.produce(KAFKA.broker(), topic, 3, 0, 150));
    Path table = newDir("table");
    Path cp = newDir("cp");
    run(source(topic).load(), table, cp);
    deleteRecursively(cp);
    produced.addAll(TestRecords.produce(KAFKA.broker(), topic, 3, 150, 90));

    run(source(topic, "startingOffsetsFromTable", table.toString()).load(), table, newDir("cp"));

    assertEquals(TestRecords.canonical(produced, false), tableRows(table));
    // the resumed query started where the table ended: no batch overlapped, none was skipped
    assertEquals(240, ZdlTables.addedOffsets(summaries(table)));
  }

  @Test
  void aLostCheckpointRestartedFromEarliestWritesNoDuplicate() throws Exception {
    String topic = topic(2);
    List<Produced> produced = new ArrayList<>(TestRecords.produce(KAFKA.broker(), topic, 2, 0, 90));
    Path table = newDir("table");
    run(source(topic).load(), table, newDir("cp"));
    int commitsBefore = summaries(table).size();
    produced.addAll(TestRecords.produce(KAFKA.broker(), topic, 2, 90, 50));

    // new checkpoint, from earliest, no resume option: batches cover offsets the table holds
    run(source(topic, "maxOffsetsPerTrigger", "35").load(), table, newDir("cp"));

    assertEquals(TestRecords.canonical(produced, false), tableRows(table));
    List<CommitSummary> commits = summaries(table);
    assertEquals(50, ZdlTables.addedOffsets(commits.subList(commitsBefore, commits.size())),
        "only the 50 new offsets are added");
  }

  @Test
  void aBatchStartingPastTheTablesEndIsRefusedUnlessGapsAreAllowed() throws Exception {
    String topic = topic(1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 20);
    Path table = newDir("table");
    run(source(topic).load(), table, newDir("cp"));
    TestRecords.produce(KAFKA.broker(), topic, 1, 20, 10); // [20, 30): never written
    Path cp = newDir("cp");

    // a new checkpoint at latest starts at 30: its first batch is refused before any record arrives
    StreamingQuery q = start(sink(source(topic, "startingOffsets", "latest").load(), cp), table);
    StreamingQueryException e = assertThrows(StreamingQueryException.class, () -> q.awaitTermination(120_000));
    assertTrue(e.getMessage().contains("ZDL_SINK_OFFSET_GAP") && e.getMessage().contains("[20, 30)")
        && e.getMessage().contains("startingOffsetsFromTable"), e.getMessage());
    assertEquals(20, tableRows(table).size());

    run(source(topic, "startingOffsets", "latest").load(), table, cp, "allowOffsetGaps", "true");
    List<Produced> after = TestRecords.produce(KAFKA.broker(), topic, 1, 30, 5);
    run(source(topic, "startingOffsets", "latest").load(), table, cp, "allowOffsetGaps", "true");
    List<String> gaps = new ArrayList<>();
    for (CommitSummary c : summaries(table)) {
      if (!c.gaps().isEmpty()) {
        gaps.add(c.gaps().toString());
      }
    }
    assertEquals(List.of("[" + topic + "-0[20,30)]"), gaps, "the gap is recorded once, by the batch that left it");
    assertTrue(tableRows(table).containsAll(TestRecords.canonical(after, false)));
    assertEquals(25, tableRows(table).size());
  }

  @Test
  void anOverlapThatCannotBeFilteredWithoutKafkaColumnsIsRefused() throws Exception {
    String topic = topic(1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 50);
    Path table = newDir("table");
    Function<Dataset<Row>, Dataset<Row>> valuesOnly = df -> df.selectExpr("CAST(value AS STRING) AS v");
    run(valuesOnly.apply(source(topic, "maxOffsetsPerTrigger", "30").load()), table, newDir("cp"));
    TestRecords.produce(KAFKA.broker(), topic, 1, 50, 10);

    // batch [0, 40) is all in the table (skipped); batch [40, 60) straddles the table's end at 50
    StreamingQuery q = start(sink(valuesOnly.apply(source(topic).load()), newDir("cp")), table);
    StreamingQueryException e = assertThrows(StreamingQueryException.class, () -> q.awaitTermination(120_000));
    assertTrue(e.getMessage().contains("ZDL_SINK_OVERLAP_UNDECIDABLE") && e.getMessage().contains("below 50"),
        e.getMessage());
    assertEquals(50, spark.read().format("delta").load(table.toString()).count(), "nothing was written");
  }

  @Test
  void rowWiseTransformationsKeepExactlyOnce() throws Exception {
    String topic = topic(2);
    List<Produced> produced = TestRecords.produce(KAFKA.broker(), topic, 2, 0, 120);
    Path table = newDir("table");
    Path cp = newDir("cp");
    Function<Dataset<Row>, Dataset<Row>> transform = df -> df
        .selectExpr("topic", "partition", "offset", "CAST(key AS STRING) AS k", "CAST(value AS STRING) AS v")
        .where("offset % 3 <> 0")
        .selectExpr("topic", "partition", "offset", "k", "upper(v) AS v");
    run(transform.apply(source(topic).load()), table, cp);
    Files.delete(cp.resolve("commits").resolve("1")); // replay the last batches
    Files.deleteIfExists(cp.resolve("commits").resolve(".1.crc"));
    run(transform.apply(source(topic).load()), table, cp);

    List<String> expected = produced.stream().filter(p -> p.offset() % 3 != 0)
        .map(p -> p.topic() + "|" + p.partition() + "|" + p.offset()).sorted().toList();
    List<String> actual = spark.read().format("delta").load(table.toString()).collectAsList().stream()
        .map(r -> r.getString(0) + "|" + r.getInt(1) + "|" + r.getLong(2)).sorted().toList();
    assertEquals(expected, actual);
    assertEquals(ZdlTables.nextOffsets(produced), TableOffsets.committed(spark, table.toString(), "default"),
        "offsets advance over filtered-out records too");
  }

  @Test
  void partitionByAndMergeSchemaTakeEffect() throws Exception {
    String topic = topic(2);
    List<Produced> produced = new ArrayList<>(TestRecords.produce(KAFKA.broker(), topic, 2, 0, 40));
    Path table = newDir("table");
    Path cp = newDir("cp");
    Function<Dataset<Row>, Dataset<Row>> narrow = df -> df.selectExpr("topic", "partition", "offset");
    Function<Dataset<Row>, Dataset<Row>> wide = df -> df.selectExpr("topic", "partition", "offset",
        "CAST(value AS STRING) AS v");
    start(sink(narrow.apply(source(topic).load()), cp).partitionBy("partition"), table).awaitTermination(300_000);
    assertEquals(List.of("partition"), DeltaTable.forPath(spark, table.toString()).detail()
        .select("partitionColumns").first().getList(0));

    produced.addAll(TestRecords.produce(KAFKA.broker(), topic, 2, 40, 10));
    StreamingQuery refused = start(sink(wide.apply(source(topic).load()), cp), table);
    StreamingQueryException e = assertThrows(StreamingQueryException.class, () -> refused.awaitTermination(120_000));
    assertTrue(e.getMessage().contains("ZDL_SINK_SCHEMA_MISMATCH") && e.getMessage().contains("mergeSchema=true"),
        e.getMessage());

    run(wide.apply(source(topic).load()), table, cp, "mergeSchema", "true");
    Dataset<Row> rows = spark.read().format("delta").load(table.toString());
    assertEquals(List.of("topic", "partition", "offset", "v"), List.of(rows.schema().fieldNames()));
    assertEquals(50, rows.count());
    long newWithValue = produced.subList(40, 50).stream().filter(p -> p.value() != null).count();
    assertEquals(newWithValue, rows.where("v IS NOT NULL").count(), "the new records carry v");
    assertEquals(0, rows.where("offset < 20 AND v IS NOT NULL").count(), "rows written before the change do not");
  }

  @Test
  void aCatalogTableIsCreatedWrittenAndResumedFromByName() throws Exception {
    String topic = topic(2);
    List<Produced> produced = new ArrayList<>(TestRecords.produce(KAFKA.broker(), topic, 2, 0, 60));
    String name = "zdl_" + topic.replace('-', '_');
    StreamingQuery q = sink(source(topic).load(), newDir("cp"), "tableName", name).start();
    awaitTermination(q, 300);
    assertEquals(TestRecords.canonical(produced, false), TestRecords.canonicalRows(spark.table(name).collectAsList()));

    produced.addAll(TestRecords.produce(KAFKA.broker(), topic, 2, 60, 20));
    StreamingQuery resumed = sink(source(topic, "startingOffsetsFromTable", name).load(), newDir("cp"),
        "tableName", name).start();
    awaitTermination(resumed, 300);
    assertEquals(TestRecords.canonical(produced, false), TestRecords.canonicalRows(spark.table(name).collectAsList()));
    String location = DeltaTable.forName(spark, name).detail().select("location").first().getString(0);
    assertEquals(80, ZdlTables.addedOffsets(ZdlTables.zdlCommits(spark, location)),
        "the resumed query started where the table ended");
  }

  @Test
  void misuseIsRefusedWithACodedError() throws Exception {
    String topic = topic(1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 5);
    Exception e = assertThrows(Exception.class, () -> start(sink(source(topic).load(), newDir("cp"))
        .outputMode("update"), newDir("table")));
    assertTrue(String.valueOf(e.getMessage()).contains("ZDL_SINK_UNSUPPORTED"), e.toString());

    StreamingQuery rate = start(sink(spark.readStream().format("rate").load(), newDir("cp")), newDir("table"));
    StreamingQueryException ex = assertThrows(StreamingQueryException.class, () -> rate.awaitTermination(120_000));
    assertTrue(ex.getMessage().contains("ZDL_SINK_NO_KAFKA_SOURCE"), ex.getMessage());

    Exception badId = assertThrows(Exception.class, () -> start(sink(source(topic).load(), newDir("cp"),
        "sinkId", "a/b"), newDir("table")));
    assertTrue(String.valueOf(badId.getMessage()).contains("sinkId"), badId.toString());
    assertNotNull(badId);
  }
}
