package io.zdl.it.compat;

import static io.zdl.it.support.Queries.newDir;
import static io.zdl.it.support.Queries.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.sink.TableFeaturesIT;
import io.zdl.it.support.TestRecords;
import io.zdl.it.support.TestRecords.Produced;
import io.zdl.it.support.ZdlTables;
import io.zdl.spark.delta.CommitSummary;
import io.zdl.spark.fault.CrashPoint;
import io.zdl.spark.kafka.ZdlKafkaSourceProvider;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.pipeline.PipelineMain;
import io.zdl.test.pipeline.PipelineProcess;
import io.zdl.test.process.ChildJvm;
import io.zdl.test.spark.SparkTestSession;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The connector jars this build publishes on the lines the rest of the suite does not run: zdl-connector_2.12
 * (compiled against Spark 3.4 and delta-core 2.4) on Spark 3.5 with delta-spark 3.x, and zdl-connector_2.13 on
 * Spark 4.0, 4.1 and 4.2 with their Delta 4. The pipeline runs in a JVM of its own on that line's classpath
 * (written by the spark-*-classpath modules), so a break shows in the default build. The tables it writes are
 * checked from this JVM (Spark 3.4), which also shows every line reads them.
 */
class RuntimeCompatibilityIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);
  private static final Pattern RUNTIME = Pattern.compile(PipelineMain.RUNTIME + " spark=(\\S+) delta=(\\S+)");

  private final SparkSession spark = SparkTestSession.get();

  @Test
  @DisabledIfSystemProperty(named = "zdl.delta.internals", matches = "off")
  void onSpark35WithDelta3TheSameJarStreamsExactlyOnceThroughACrashAndResumesFromTheTable() throws IOException {
    String topic = unique("compat35");
    KAFKA.broker().createTopic(topic, 3);
    // 30 records with each compression codec: Spark 3.5's own codec libraries decompress them
    List<Produced> produced = new ArrayList<>(TestRecords.produceCompressed(KAFKA.broker(), topic, 3, 0, 30));
    Path dir = newDir("compat35");
    String classpath = spark35Classpath();

    // batches of 40 records: batch 1 reaches the table, then the JVM dies before Spark's commit log
    int exit = run(dir, "crash", topic, classpath, Map.of(CrashPoint.PROPERTY, CrashPoint.AFTER_DELTA_COMMIT + ":1"));
    assertEquals(CrashPoint.EXIT_CODE, exit, () -> "expected a crash after batch 1's commit:\n" + tail(dir, "crash"));
    String runtime = runtimeOf(dir, "crash");
    assertTrue(runtime.startsWith("spark=3.5.") && runtime.contains(" delta=3."),
        "the pipeline must have run on Spark 3.5 and Delta 3: " + runtime);
    assertEquals(2, zdlCommits(dir).size(), "batches 0 and 1 were committed before the crash");

    // the restart replays batch 1: the sink finds its offsets in the table and adds nothing
    assertEquals(0, run(dir, "restart", topic, classpath, Map.of()), () -> tail(dir, "restart"));
    assertExactlyOnce(dir, produced);
    assertEquals(3, zdlCommits(dir).size(), "the replayed batch 1 added no commit");

    // the checkpoint is lost; the query resumes where the table ends
    deleteTree(dir.resolve("checkpoint"));
    produced.addAll(TestRecords.produce(KAFKA.broker(), topic, 3, 120, 30));
    assertEquals(0, run(dir, "resume", topic, classpath, Map.of(), "resumeFromTable=true"), () -> tail(dir, "resume"));
    assertExactlyOnce(dir, produced);
  }

  /**
   * One topic for the Spark 4 lines, and one checkpoint and table the 2.12 jar on Spark 3.4 wrote (a crash
   * after batch 0's Delta commit, before Spark's commit log): each line continues a copy of them. Each line
   * adds 30 records for its resume, which the next line then reads too (SPARK4_PRODUCED holds them all).
   */
  private static String spark4Topic;
  private static Path spark4Start;
  private static final List<Produced> SPARK4_PRODUCED = new ArrayList<>();

  @ParameterizedTest(name = "Spark {0}")
  @DisabledIfSystemProperty(named = "zdl.delta.internals", matches = "off")
  @ValueSource(strings = {"4.0", "4.1", "4.2"})
  void onSpark4TheScala213JarRestartsThe212JarsCrashedCheckpointMatchesTheBuiltInSourceAndResumesFromTheTable(
      String line) throws IOException {
    String classpath = spark4Classpath(line);
    Path dir = newDir("compat" + line.replace(".", ""));
    copy(spark4Start(), dir);

    // the restart on this line reads the offset log the 2.12 jar wrote and replays batch 0, which the crash left
    // in the table but not in Spark's commit log: the sink finds its offsets there and adds nothing; the query
    // then ends the topic. The same JVM then runs this line's built-in kafka source into format("delta"), the oracle.
    // (Two pipeline JVMs per line: the crash itself is the 2.12 jar's, which keeps the default suite's time.)
    assertEquals(0, run(dir, "restart", spark4Topic, classpath, Map.of(), "oracleTable=" + dir.resolve("oracle"),
        "oracleCheckpoint=" + dir.resolve("oracle-checkpoint")), () -> tail(dir, "restart"));
    String runtime = runtimeOf(dir, "restart");
    assertTrue(runtime.startsWith("spark=" + line + ".") && runtime.contains(" delta=4."),
        "the pipeline must have run on Spark " + line + " and Delta 4: " + runtime);
    assertEquals(1, zdlCommits(dir).stream().filter(c -> c.batchId() == 0).count(),
        "the replayed batch 0 added no commit beside the 2.12 jar's");
    List<Produced> produced;
    synchronized (SPARK4_PRODUCED) {
      produced = new ArrayList<>(SPARK4_PRODUCED);
    }
    assertExactlyOnce(dir, produced);
    assertEquals(TestRecords.canonicalRows(spark.read().format("delta").load(dir.resolve("oracle").toString())
        .collectAsList()), rows(dir), "zdl-kafka and Spark " + line + "'s kafka source read the same rows");

    // the checkpoint is lost; the query resumes where the table ends
    deleteTree(dir.resolve("checkpoint"));
    synchronized (SPARK4_PRODUCED) {
      SPARK4_PRODUCED.addAll(TestRecords.produce(KAFKA.broker(), spark4Topic, 3, SPARK4_PRODUCED.size(), 30));
      produced = new ArrayList<>(SPARK4_PRODUCED);
    }
    assertEquals(0, run(dir, "resume", spark4Topic, classpath, Map.of(), "resumeFromTable=true"), () -> tail(dir, "resume"));
    assertExactlyOnce(dir, produced);
  }

  /**
   * Spark 4.1 added real-time mode (Trigger.RealTime), which logs a batch's offsets only after the batch ran.
   * zdl-kafka refuses it with its own code, naming the triggers to use, when the query builds its plan: before
   * any offset is looked up, logged or read (Spark's own refusal, for a stream without SupportsRealTimeMode, had
   * no zdl code and named no trigger). One pipeline JVM per line: -Pextended.
   */
  @ParameterizedTest(name = "Spark {0}")
  @ValueSource(strings = {"4.1", "4.2"})
  @EnabledIfSystemProperty(named = "zdl.test.extended", matches = "true")
  void onSpark41AndLaterRealTimeModeIsRefusedWithACodedErrorBeforeAnyOffsetIsLogged(String line) throws IOException {
    String topic = unique("realtime");
    KAFKA.broker().createTopic(topic, 2);
    TestRecords.produce(KAFKA.broker(), topic, 2, 0, 10);
    Path dir = newDir("realtime-" + line);

    assertEquals(1, run(dir, "refuse", topic, spark4Classpath(line), Map.of(), "trigger=realTime"),
        () -> tail(dir, "refuse"));
    assertTrue(runtimeOf(dir, "refuse").startsWith("spark=" + line + "."), () -> tail(dir, "refuse"));
    String log = Files.readString(dir.resolve("refuse.log"), StandardCharsets.UTF_8);
    assertTrue(log.contains("[ZDL_REAL_TIME_MODE_UNSUPPORTED]") && log.contains("Trigger.ProcessingTime"),
        () -> tail(dir, "refuse"));
    for (String logged : List.of("offsets", "sources", "commits")) {
      Path d = dir.resolve("checkpoint").resolve(logged);
      if (Files.exists(d)) {
        try (var files = Files.walk(d)) {
          assertEquals(List.of(), files.filter(Files::isRegularFile).map(Path::toString).toList(),
              "nothing logged under the checkpoint's " + logged);
        }
      }
    }
  }

  /**
   * catalogManaged is a Delta 4 feature: on each Spark 4 line with its Delta the sink refuses such a table (here a
   * protocol naming it, as a catalog would leave it; open-source Delta cannot create one) before writing.
   */
  @ParameterizedTest(name = "Spark {0}")
  @ValueSource(strings = {"4.0", "4.1", "4.2"})
  @DisabledIfSystemProperty(named = "zdl.delta.internals", matches = "off")
  @EnabledIfSystemProperty(named = "zdl.test.extended", matches = "true") // -Pextended: a pipeline JVM per line
  void onDelta4ACatalogManagedTableIsRefusedBeforeTheFirstWrite(String line) throws IOException {
    String topic = unique("catalogmanaged");
    KAFKA.broker().createTopic(topic, 1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 10);
    Path dir = newDir("catalogmanaged");
    Path table = dir.resolve("table");
    spark.sql("CREATE TABLE delta.`" + table + "` (" + TableFeaturesIT.SINK_COLUMNS + ", headers ARRAY<STRUCT<key: "
        + "STRING, value: BINARY>>) USING delta");
    TableFeaturesIT.addFeature(table, "catalogManaged");

    assertEquals(1, run(dir, "refuse", topic, spark4Classpath(line), Map.of()), () -> tail(dir, "refuse"));
    assertTrue(runtimeOf(dir, "refuse").contains(" delta=4."), () -> tail(dir, "refuse"));
    String log = Files.readString(dir.resolve("refuse.log"), StandardCharsets.UTF_8);
    assertTrue(log.contains("ZDL_SINK_TABLE_FEATURE_UNSUPPORTED") && log.contains("catalogManaged"),
        () -> tail(dir, "refuse"));
    try (var files = Files.walk(table)) {
      assertEquals(0, files.filter(f -> f.toString().endsWith(".parquet")).count(), "no data file was written");
    }
  }

  /**
   * Row tracking on each Spark 4 line with its Delta: the sink creates the table with it (Delta's session default)
   * and writes three batches; every added file carries a row id range from Delta's commit, and no two overlap. A
   * pipeline JVM per line the default suite cannot spare: it runs with -Pdelta-public (the public path) and with
   * -Pextended (the internal path). TableFeaturesIT runs the same check in the test JVM on whichever line the
   * build's profile picks.
   */
  @ParameterizedTest(name = "Spark {0}")
  @ValueSource(strings = {"4.0", "4.1", "4.2"})
  @EnabledIf("rowTrackingCase")
  void onDelta4RowTrackingTablesGetUniqueRowIdsFromTheSinksCommits(String line) throws IOException {
    String topic = unique("rowtracking");
    KAFKA.broker().createTopic(topic, 3);
    List<Produced> produced = TestRecords.produce(KAFKA.broker(), topic, 3, 0, 120);
    Path dir = newDir("rowtracking");
    assertEquals(0, run(dir, "run", topic, spark4Classpath(line), Map.of(),
        "conf.spark.databricks.delta.properties.defaults.enableRowTracking=true"), () -> tail(dir, "run"));
    assertTrue(runtimeOf(dir, "run").contains(" delta=4."), () -> tail(dir, "run"));
    assertExactlyOnce(dir, produced);
    TableFeaturesIT.assertUniqueRowIds(dir.resolve("table"), produced.size());
  }

  static boolean rowTrackingCase() {
    return "off".equals(System.getProperty("zdl.delta.internals")) || Boolean.getBoolean("zdl.test.extended");
  }

  /** The 2.12 jar on this JVM's line (Spark 3.4; 3.5 under -Pspark-3.5) starts the Spark 4 lines' checkpoint, once. */
  private static synchronized Path spark4Start() throws IOException {
    if (spark4Start == null) {
      String topic = unique("compat4");
      KAFKA.broker().createTopic(topic, 3);
      // 30 records with each compression codec: each Spark 4 line decompresses them with its own codec libraries
      // (kafka-clients 4.x in zdl-connector_2.13 beside Spark 4.0's lz4-java 1.8.0, for one)
      SPARK4_PRODUCED.addAll(TestRecords.produceCompressed(KAFKA.broker(), topic, 3, 0, 30));
      Path dir = newDir("compat4-start");
      int exit = run(dir, "start", topic, ChildJvm.classpath(), Map.of(CrashPoint.PROPERTY, CrashPoint.AFTER_DELTA_COMMIT + ":0"));
      assertEquals(CrashPoint.EXIT_CODE, exit, () -> "expected a crash after batch 0's commit:\n" + tail(dir, "start"));
      // the 2.12 jar on the test JVM's line: Spark 3.4 in the default build, 3.5 under -Pspark-3.5
      assertTrue(runtimeOf(dir, "start").startsWith("spark=" + SparkTestSession.get().version()),
          () -> tail(dir, "start"));
      spark4Topic = topic;
      spark4Start = dir;
    }
    return spark4Start;
  }

  /**
   * Four pipeline JVMs (minutes on 2 cores): run with the sink suites on the public path, {@code -Pdelta-public},
   * not in the default build, where {@code PublicDeltaPathIT} covers the public path.
   */
  @Test
  @EnabledIfSystemProperty(named = "zdl.delta.internals", matches = "off")
  void onARuntimeWhoseDeltaLacksTheTransactionApiTheSinkCommitsThroughThePublicApiExactlyOnceThroughCrashesAndResumes()
      throws IOException {
    String topic = unique("nointernals");
    KAFKA.broker().createTopic(topic, 3);
    List<Produced> produced = new ArrayList<>(TestRecords.produce(KAFKA.broker(), topic, 3, 0, 160));
    Path dir = newDir("nointernals");
    String cp = ChildJvm.classpath();
    // the internal switch makes the check fail as it would on a Delta build without those classes (Databricks)
    Map<String, String> off = Map.of("zdl.delta.internals", "off");

    // batches of 40 records: the JVM dies before batch 1's commit, then after batch 2's commit
    Map<String, String> before = new java.util.HashMap<>(off);
    before.put(CrashPoint.PROPERTY, CrashPoint.BEFORE_DELTA_COMMIT + ":1");
    int exit = run(dir, "crash-before", topic, cp, before);
    assertEquals(CrashPoint.EXIT_CODE, exit, () -> "expected a crash before batch 1's commit:\n" + tail(dir, "crash-before"));
    assertEquals(1, zdlCommits(dir).size(), "only batch 0 was committed before the crash");
    Map<String, String> after = new java.util.HashMap<>(off);
    after.put(CrashPoint.PROPERTY, CrashPoint.AFTER_DELTA_COMMIT + ":2");
    exit = run(dir, "crash-after", topic, cp, after);
    assertEquals(CrashPoint.EXIT_CODE, exit, () -> "expected a crash after batch 2's commit:\n" + tail(dir, "crash-after"));
    assertEquals(3, zdlCommits(dir).size(), "batches 0, 1 and 2 were committed before the crash");

    // the restart replays batch 2: the sink finds its offsets in the newest commit's positions and adds nothing
    assertEquals(0, run(dir, "restart", topic, cp, off), () -> tail(dir, "restart"));
    assertExactlyOnce(dir, produced);
    assertEquals(4, zdlCommits(dir).size(), "the replayed batch 2 added no commit");
    String property = spark.sql("SHOW TBLPROPERTIES delta.`" + dir.resolve("table") + "` ('zdl.delta.positions')")
        .collectAsList().get(0).getString(1);
    assertEquals("userMetadata", property, "the table says where its positions are");

    // the checkpoint is lost; the query resumes where the table ends, read from the commits' userMetadata
    try (var files = Files.walk(dir.resolve("checkpoint"))) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    produced.addAll(TestRecords.produce(KAFKA.broker(), topic, 3, 160, 30));
    assertEquals(0, run(dir, "resume", topic, cp, off, "resumeFromTable=true"), () -> tail(dir, "resume"));
    assertExactlyOnce(dir, produced);
  }

  private static void deleteTree(Path root) throws IOException {
    try (var files = Files.walk(root)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }

  /** Copies the checkpoint and the table of {@code from} into {@code to}. */
  private static void copy(Path from, Path to) throws IOException {
    for (String part : List.of("checkpoint", "table")) {
      Path src = from.resolve(part);
      try (var files = Files.walk(src)) {
        for (Path f : (Iterable<Path>) files::iterator) {
          Path target = to.resolve(part).resolve(src.relativize(f).toString());
          if (Files.isDirectory(f)) {
            Files.createDirectories(target);
          } else {
            Files.copy(f, target);
          }
        }
      }
    }
  }

  /** Spark 4.x and its Delta from the local Maven repository, zdl-connector_2.13, and PipelineMain built for Spark 4. */
  private static String spark4Classpath(String line) throws IOException {
    String file = System.getProperty("zdl.test.spark" + line.replace(".", "") + ".classpath");
    assertTrue(file != null && Files.exists(Path.of(file)),
        "the spark-" + line + "-classpath module writes the Spark " + line + " classpath; build through the reactor: " + file);
    String deps = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
    assertTrue(deps.contains("spark-sql_2.13-" + line + ".") && deps.contains("delta-spark_"), deps);
    String connector = System.getProperty("zdl.test.connector213.jar");
    assertTrue(connector != null && Files.exists(Path.of(connector)),
        "connector-spark4 builds zdl-connector_2.13; build through the reactor: " + connector);
    String pipeline = System.getProperty("zdl.test.spark4.pipeline");
    assertTrue(pipeline != null && Files.exists(Path.of(pipeline, "io", "zdl", "test", "pipeline", "PipelineMain.class")),
        "spark4-pipeline builds PipelineMain for Spark 4; build through the reactor: " + pipeline);
    return connector + File.pathSeparator + pipeline + File.pathSeparator + deps;
  }

  private static int run(Path dir, String label, String topic, String classpath, Map<String, String> props, String... extra) {
    List<String> args = new ArrayList<>(List.of("bootstrap=" + KAFKA.broker().bootstrapServers(), "topic=" + topic,
        "table=" + dir.resolve("table"), "checkpoint=" + dir.resolve("checkpoint"), "workDir=" + dir.resolve("work")));
    args.addAll(List.of(extra));
    try (PipelineProcess p = PipelineProcess.start(dir.resolve(label + ".log"), props, args, classpath)) {
      return p.waitFor(RUN_TIMEOUT);
    }
  }

  /** Spark 3.5 and Delta 3.x from the local Maven repository, the connector jar under test, and the harness. */
  private static String spark35Classpath() throws IOException {
    String file = System.getProperty("zdl.test.spark35.classpath");
    assertTrue(file != null && Files.exists(Path.of(file)),
        "the spark-3.5-classpath module writes the Spark 3.5 classpath; build through the reactor: " + file);
    String deps = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
    assertTrue(deps.contains("spark-sql_2.12-3.5.") && deps.contains("delta-spark_2.12-3."), deps);
    String connector = codeSource(ZdlKafkaSourceProvider.class);
    assertTrue(connector.endsWith(".jar"), "the connector must come from its shaded jar: " + connector);
    return connector + File.pathSeparator + codeSource(PipelineMain.class) + File.pathSeparator + deps;
  }

  private static String codeSource(Class<?> c) {
    try {
      return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String runtimeOf(Path dir, String label) throws IOException {
    Matcher m = RUNTIME.matcher(Files.readString(dir.resolve(label + ".log"), StandardCharsets.UTF_8));
    assertTrue(m.find(), () -> "no runtime line:\n" + tail(dir, label));
    return "spark=" + m.group(1) + " delta=" + m.group(2);
  }

  private List<CommitSummary> zdlCommits(Path dir) {
    return ZdlTables.zdlCommits(spark, dir.resolve("table").toString());
  }

  private List<String> rows(Path dir) {
    return TestRecords.canonicalRows(spark.read().format("delta").load(dir.resolve("table").toString()).collectAsList());
  }

  /** Exactly the produced records, field by field, and each offset committed by exactly one commit. */
  private void assertExactlyOnce(Path dir, List<Produced> produced) {
    assertEquals(TestRecords.canonical(produced, true), rows(dir));
    assertEquals(produced.size(), ZdlTables.addedOffsets(zdlCommits(dir)), "no range may be committed twice");
  }

  private static String tail(Path dir, String label) {
    return ChildJvm.tail(dir.resolve(label + ".log"), 8000);
  }
}
