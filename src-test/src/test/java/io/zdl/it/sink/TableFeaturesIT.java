package io.zdl.it.sink;

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
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Delta table features on the line this build runs (the default line, Spark 3.4 with delta-core 2.4, or the one
 * a profile picks): deletion vectors left by a DELETE stay applied while the sink appends; a table with a feature
 * the sink must not write ({@code catalogManaged}) or this runtime's Delta cannot write ({@code rowTracking} on
 * Delta 2.4) is refused before the first file is written; where Delta writes row tracking (Delta 3 and 4), the
 * sink's commits give every row a unique row id. RuntimeCompatibilityIT runs the Delta 4 cases from the default
 * build in pipeline JVMs (-Pextended).
 */
public class TableFeaturesIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  /** The columns the sink writes for the zdl-kafka source without headers. */
  public static final String SINK_COLUMNS = "key BINARY, value BINARY, topic STRING, partition INT, offset BIGINT, "
      + "timestamp TIMESTAMP, timestampType INT";

  private final SparkSession spark = SparkTestSession.get();

  private void run(String topic, Path table, Path checkpoint, String access, String... sourceOptions) {
    DataStreamWriter<Row> w = Sources.sinkSuiteStream(spark, KAFKA.broker(), topic, sourceOptions).load()
        .writeStream().format("zdl-delta").option("checkpointLocation", checkpoint.toString())
        .option("deltaAccess", access).trigger(Trigger.AvailableNow());
    awaitTermination(w.start(table.toString()), 300);
  }

  private List<String> tableRows(Path table) {
    return TestRecords.canonicalRows(spark.read().format("delta").load(table.toString()).collectAsList());
  }

  /** The produced records a DELETE of every offset divisible by 4 leaves. */
  private static List<String> withoutDeleted(List<Produced> produced, long below) {
    return TestRecords.canonical(produced.stream().filter(p -> p.offset() >= below || p.offset() % 4 != 0)
        .collect(Collectors.toList()), false);
  }

  /** On the internal path here; on the public path with -Pdelta-public (deltaAccess=auto takes it there). */
  @Test
  void rowsADeleteRemovedThroughDeletionVectorsStayDeletedWhileTheSinkAppendsAndResumesFromTheTable()
      throws Exception {
    String access = "auto";
    String topic = unique("dv");
    KAFKA.broker().createTopic(topic, 2);
    List<Produced> produced = new ArrayList<>(TestRecords.produce(KAFKA.broker(), topic, 2, 0, 80));
    Path table = newDir("table");
    Path cp = newDir("cp");
    run(topic, table, cp, access);
    String t = "delta.`" + table + "`";
    spark.sql("ALTER TABLE " + t + " SET TBLPROPERTIES ('delta.enableDeletionVectors' = 'true')");
    spark.sql("DELETE FROM " + t + " WHERE offset % 4 = 0");
    assertTrue(newestCommit(table).contains("\"deletionVector\":{"), "the DELETE wrote deletion vectors");
    long deletedBelow = 40; // each partition held offsets 0 to 39 at the DELETE

    // the same checkpoint goes on, then the checkpoint is lost and the query resumes from the table
    produced.addAll(TestRecords.produce(KAFKA.broker(), topic, 2, 80, 40));
    run(topic, table, cp, access);
    deleteTree(cp);
    produced.addAll(TestRecords.produce(KAFKA.broker(), topic, 2, 120, 40));
    run(topic, table, newDir("cp"), access, "startingOffsetsFromTable", table.toString());

    assertEquals(withoutDeleted(produced, deletedBelow), tableRows(table), "deleted rows stay deleted, the rest once");
    assertEquals(160, ZdlTables.addedOffsets(ZdlTables.zdlCommits(spark, table.toString())), "each offset once");
    assertEquals(ZdlTables.nextOffsets(produced), TableOffsets.committed(spark, table.toString(), "default"));
    String features = spark.sql("DESCRIBE DETAIL " + t).select("tableFeatures").first().getList(0).toString();
    assertTrue(features.contains("deletionVectors"), features);
  }

  /** Delta 2.4 (Spark 3.4) cannot write row tracking; Delta 3.x (Spark 3.5) and Delta 4 (Spark 4) can. */
  static boolean deltaWritesRowTracking() {
    return !SparkTestSession.get().version().startsWith("3.4.");
  }

  static List<String> refusedFeatures() {
    return deltaWritesRowTracking() ? List.of("catalogManaged") : List.of("catalogManaged", "rowTracking");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedFeatures")
  void aTableWithAFeatureTheSinkMustNotOrCannotWriteIsRefusedBeforeTheFirstWrite(String feature) throws Exception {
    String topic = unique("feature");
    KAFKA.broker().createTopic(topic, 1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 10);
    Path table = newDir("table");
    spark.sql("CREATE TABLE delta.`" + table + "` (" + SINK_COLUMNS + ") USING delta");
    addFeature(table, feature);

    for (String access : new String[] {"auto", "public"}) { // auto: the internal path, except with -Pdelta-public
      StreamingQuery q = Sources.sinkSuiteStream(spark, KAFKA.broker(), topic).load().writeStream()
          .format("zdl-delta").option("checkpointLocation", newDir("cp").toString()).option("deltaAccess", access)
          .trigger(Trigger.AvailableNow()).start(table.toString());
      String message = fullMessage(assertThrows(StreamingQueryException.class, () -> q.awaitTermination(180_000)));
      assertTrue(message.contains("ZDL_SINK_TABLE_FEATURE_UNSUPPORTED") && message.contains(feature)
          && message.contains(table.toString()), message);
      assertEquals(0, dataFiles(table), "no data file was written (" + access + ")");
    }
  }

  /**
   * On a Delta that writes row tracking, a table created with it: the sink writes, the checkpoint is lost, and the
   * query resumes from the table, on each path (auto: the internal path, except with -Pdelta-public). Rows once, and
   * Delta's commits gave every added file its own row id range.
   */
  @ParameterizedTest(name = "deltaAccess={0}")
  @ValueSource(strings = {"auto", "public"})
  @EnabledIf("deltaWritesRowTracking")
  void rowTrackingTablesGetUniqueRowIdsFromTheSinksCommitsAcrossAResumeFromTheTable(String access) throws Exception {
    String topic = unique("rowtracking");
    KAFKA.broker().createTopic(topic, 2);
    List<Produced> produced = new ArrayList<>(TestRecords.produce(KAFKA.broker(), topic, 2, 0, 60));
    Path table = newDir("table");
    spark.sql("CREATE TABLE delta.`" + table + "` (" + SINK_COLUMNS + ") USING delta "
        + "TBLPROPERTIES ('delta.enableRowTracking' = 'true')");
    run(topic, table, newDir("cp"), access);
    produced.addAll(TestRecords.produce(KAFKA.broker(), topic, 2, 60, 30));
    run(topic, table, newDir("cp"), access, "startingOffsetsFromTable", table.toString());

    assertEquals(TestRecords.canonical(produced, false), tableRows(table), "every record once");
    assertEquals(produced.size(), ZdlTables.addedOffsets(ZdlTables.zdlCommits(spark, table.toString())));
    assertUniqueRowIds(table, produced.size());
  }

  /**
   * Asserts the table's protocol has row tracking and that the files its commits added (none removed) carry row id
   * ranges, from Delta's commits, that do not overlap and cover {@code rows} rows.
   */
  public static void assertUniqueRowIds(Path table, long rows) throws IOException {
    List<long[]> ranges = new ArrayList<>(); // [baseRowId, numRecords] of every added file
    boolean rowTracking = false;
    Pattern baseRowId = Pattern.compile("\"baseRowId\":(\\d+)");
    Pattern numRecords = Pattern.compile("numRecords\\\\?\":(\\d+)");
    try (Stream<Path> files = Files.list(table.resolve("_delta_log"))) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".json"))::iterator) {
        for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
          rowTracking |= line.contains("\"protocol\"") && line.contains("\"rowTracking\"");
          assertTrue(!line.startsWith("{\"remove\""), "no file was removed: " + line);
          if (line.startsWith("{\"add\"")) {
            Matcher base = baseRowId.matcher(line);
            Matcher count = numRecords.matcher(line);
            assertTrue(base.find() && count.find(), "an added file without a row id range: " + line);
            ranges.add(new long[] {Long.parseLong(base.group(1)), Long.parseLong(count.group(1))});
          }
        }
      }
    }
    assertTrue(rowTracking, "the table's protocol has row tracking");
    ranges.sort(Comparator.comparingLong(r -> r[0]));
    long next = 0;
    long covered = 0;
    for (long[] r : ranges) {
      assertTrue(r[0] >= next, "row id ranges overlap at " + r[0]);
      next = r[0] + r[1];
      covered += r[1];
    }
    assertEquals(rows, covered, "every written row has a row id");
  }

  /**
   * Upgrades the table's protocol to one that names {@code feature}, as a newer Delta or a catalog would: a
   * catalog-managed table (Unity Catalog) is a reader-writer feature with its dependencies, row tracking a
   * writer feature.
   */
  public static void addFeature(Path table, String feature) throws IOException {
    Path log = table.resolve("_delta_log");
    long next;
    try (Stream<Path> s = Files.list(log)) {
      next = s.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{20}\\.json"))
          .mapToLong(n -> Long.parseLong(n.substring(0, 20))).max().orElseThrow() + 1;
    }
    String protocol = feature.equals("catalogManaged")
        ? "{\"protocol\":{\"minReaderVersion\":3,\"minWriterVersion\":7,\"readerFeatures\":[\"catalogManaged\","
            + "\"vacuumProtocolCheck\"],\"writerFeatures\":[\"appendOnly\",\"invariants\",\"catalogManaged\","
            + "\"inCommitTimestamp\",\"vacuumProtocolCheck\"]}}"
        : "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":7,\"writerFeatures\":[\"appendOnly\","
            + "\"invariants\",\"domainMetadata\",\"rowTracking\"]}}";
    long now = System.currentTimeMillis();
    String commitInfo = "{\"commitInfo\":{\"timestamp\":" + now + ",\"inCommitTimestamp\":" + now
        + ",\"operation\":\"UPGRADE PROTOCOL\",\"operationParameters\":{},\"isBlindAppend\":true}}";
    Files.writeString(log.resolve(String.format("%020d.json", next)), commitInfo + "\n" + protocol + "\n",
        StandardCharsets.UTF_8);
  }

  private static long dataFiles(Path table) throws IOException {
    try (Stream<Path> s = Files.walk(table)) {
      return s.filter(p -> p.getFileName().toString().endsWith(".parquet") && !p.toString().contains("_delta_log"))
          .count();
    }
  }

  private static String newestCommit(Path table) throws IOException {
    try (Stream<Path> s = Files.list(table.resolve("_delta_log"))) {
      Path newest = s.filter(p -> p.getFileName().toString().matches("\\d{20}\\.json"))
          .max(Comparator.naturalOrder()).orElseThrow();
      return Files.readString(newest, StandardCharsets.UTF_8);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
