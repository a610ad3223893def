package io.zdl.it.sink;

import static io.zdl.it.support.Queries.availableNowIntoZdlDelta;
import static io.zdl.it.support.Queries.awaitTermination;
import static io.zdl.it.support.Queries.fullMessage;
import static io.zdl.it.support.Queries.newDir;
import static io.zdl.it.support.Queries.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.support.Sources;
import io.zdl.it.support.TestRecords;
import io.zdl.it.support.TestRecords.Produced;
import io.zdl.it.support.ZdlTables;
import io.zdl.spark.delta.TableOffsets;
import io.zdl.spark.error.ZdlException;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The public path (sink option deltaAccess=public: Delta's public writer and history only), on
 * open-source Delta, where its results can be compared with the internal path's: the overlap guard,
 * several sink ids on one table, the refusal of tables whose positions it cannot read, and positions
 * that Delta's log retention removed. Crashes and resumes on this path: RuntimeCompatibilityIT; every
 * long suite on it: mvn -Pdelta-public verify.
 */
class PublicDeltaPathIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  private final SparkSession spark = SparkTestSession.get();

  private static String topic(int partitions) {
    String topic = unique("public");
    KAFKA.broker().createTopic(topic, partitions);
    return topic;
  }

  private Dataset<Row> source(String topic, String... options) {
    return Sources.stream(spark, KAFKA.broker(), "subscribe", topic, "maxOffsetsPerTrigger", "40")
        .options(Sources.options(options)).load();
  }

  private StreamingQuery start(Dataset<Row> stream, Path table, String... sinkOptions) {
    return availableNowIntoZdlDelta(stream, table, newDir("cp"), sinkOptions);
  }

  private void run(Dataset<Row> stream, Path table, String... sinkOptions) {
    awaitTermination(start(stream, table, sinkOptions), 300);
  }

  private String runExpectingFailure(Dataset<Row> stream, Path table, String... sinkOptions) {
    StreamingQuery q = start(stream, table, sinkOptions);
    StreamingQueryException e = assertThrows(StreamingQueryException.class, () -> q.awaitTermination(180_000));
    return fullMessage(e);
  }

  private List<String> tableRows(Path table) {
    return TestRecords.canonicalRows(spark.read().format("delta").load(table.toString()).collectAsList());
  }

  private long count(Path table) {
    return spark.read().format("delta").load(table.toString()).count();
  }

  @Test
  void aLostCheckpointRestartedFromEarliestWritesOnlyWhatTheTableLacks() {
    String topic = topic(2);
    List<Produced> produced = new ArrayList<>(TestRecords.produce(KAFKA.broker(), topic, 2, 0, 100));
    Path table = newDir("table");
    run(source(topic, "startingOffsets", "earliest"), table, "deltaAccess", "public");
    String metadata = spark.sql("DESCRIBE HISTORY delta.`" + table + "`").orderBy("version")
        .selectExpr("userMetadata").collectAsList().get(1).getString(0);
    assertTrue(metadata.contains("\"positions\"") && metadata.contains("zdl-delta/default/" + topic + "/0"),
        "the positions are in the commit's userMetadata: " + metadata);
    assertEquals(ZdlTables.nextOffsets(produced), TableOffsets.committed(spark, table.toString(), "default"));

    produced.addAll(TestRecords.produce(KAFKA.broker(), topic, 2, 100, 30));
    // a new checkpoint from earliest: every batch overlaps the table until its end
    run(source(topic, "startingOffsets", "earliest"), table, "deltaAccess", "public");
    assertEquals(TestRecords.canonical(produced, false), tableRows(table));
    assertEquals(130, ZdlTables.addedOffsets(ZdlTables.zdlCommits(spark, table.toString())),
        "no range may be committed twice");
  }

  @Test
  void sinkIdsOfOtherTopicsShareTheTableAndASecondSinkIdOnTheSamePartitionsIsRefused() {
    String first = topic(1);
    String second = topic(1);
    List<Produced> produced = new ArrayList<>(TestRecords.produce(KAFKA.broker(), first, 1, 0, 50));
    produced.addAll(TestRecords.produce(KAFKA.broker(), second, 1, 50, 30));
    Path table = newDir("table");
    run(source(first, "startingOffsets", "earliest", "maxOffsetsPerTrigger", "1000"), table,
        "deltaAccess", "public", "sinkId", "a");
    run(source(second, "startingOffsets", "earliest", "maxOffsetsPerTrigger", "1000"), table,
        "deltaAccess", "public", "sinkId", "b");
    // each commit carries every sink id's positions: b's commits kept a's
    assertEquals(Map.of(first, Map.of(0, 50L)), TableOffsets.committed(spark, table.toString(), "a"));
    assertEquals(Map.of(second, Map.of(0, 30L)), TableOffsets.committed(spark, table.toString(), "b"));
    assertEquals(TestRecords.canonical(produced, false), tableRows(table));

    long rows = count(table);
    String refused = runExpectingFailure(source(first, "startingOffsets", "earliest"), table,
        "deltaAccess", "public", "sinkId", "c");
    assertTrue(refused.contains("ZDL_SINK_SHARED_PARTITIONS") && refused.contains("'a'"), refused);
    assertEquals(rows, count(table), "nothing written");
  }

  @Test
  void aTableIsReadOnlyByThePathThatCanReadItsPositions() {
    String topic = topic(1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 20);
    Path publicTable = newDir("table");
    run(source(topic, "startingOffsets", "earliest", "maxOffsetsPerTrigger", "1000"), publicTable,
        "deltaAccess", "public");
    String internal = runExpectingFailure(source(topic, "startingOffsets", "earliest"), publicTable,
        "deltaAccess", "internal");
    assertTrue(internal.contains("ZDL_DELTA_ACCESS_MISMATCH") && internal.contains("zdl.delta.positions"), internal);
    // auto follows the table's property: the replay from earliest finds everything there
    run(source(topic, "startingOffsets", "earliest"), publicTable);
    assertEquals(20, count(publicTable));

    Path internalTable = newDir("table");
    run(source(topic, "startingOffsets", "earliest", "maxOffsetsPerTrigger", "1000"), internalTable,
        "deltaAccess", "internal");
    long rows = count(internalTable);
    String pub = runExpectingFailure(source(topic, "startingOffsets", "earliest"), internalTable,
        "deltaAccess", "public");
    assertTrue(pub.contains("ZDL_DELTA_ACCESS_MISMATCH") && pub.contains("txn entries"), pub);
    assertEquals(rows, count(internalTable), "nothing written");
  }

  @Test
  void positionsThatTheLogRetentionRemovedAreRefusedNotReadAsNeverWritten() {
    String topic = topic(1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 20);
    Path table = newDir("table");
    run(source(topic, "startingOffsets", "earliest", "maxOffsetsPerTrigger", "100"), table, "deltaAccess", "public");
    // another writer commits on, with checkpoints; then the old commits go, as Delta's log cleanup removes them
    spark.sql("ALTER TABLE delta.`" + table + "` SET TBLPROPERTIES ('delta.checkpointInterval' = '5')");
    Dataset<Row> none = spark.read().format("delta").load(table.toString()).limit(0);
    // empty appends: Delta 3.3 and 4 record no commit for them unless told to (skipRecordingEmptyCommits)
    String skip = "spark.databricks.delta.skipRecordingEmptyCommits";
    spark.conf().set(skip, "false");
    try {
      for (int i = 0; i < 10; i++) {
        none.write().format("delta").mode("append").save(table.toString());
      }
    } finally {
      spark.conf().unset(skip);
    }
    assertTrue(new File(table.resolve("_delta_log").toFile(), String.format("%020d.checkpoint.parquet", 10)).exists(),
        "the other writer's commits reached a checkpoint at version 10");
    File log = table.resolve("_delta_log").toFile();
    long rows = count(table);
    for (int v = 0; v < 10; v++) {
      for (String suffix : new String[] {".json", ".crc"}) {
        new File(log, String.format("%020d%s", v, suffix)).delete();
        new File(log, String.format(".%020d%s.crc", v, suffix)).delete();
      }
    }
    TestRecords.produce(KAFKA.broker(), topic, 1, 20, 10);

    String sink = runExpectingFailure(source(topic, "startingOffsets", "earliest"), table, "deltaAccess", "public");
    assertTrue(sink.contains("ZDL_SINK_POSITIONS_EXPIRED") && sink.contains("delta.logRetentionDuration"), sink);
    assertEquals(rows, count(table), "nothing written");
    ZdlException resume = assertThrows(ZdlException.class,
        () -> TableOffsets.committed(spark, table.toString(), "default"));
    assertEquals("ZDL_SINK_POSITIONS_EXPIRED", resume.code(), resume.getMessage());
  }
}
