package io.zdl.it.audit;

import static io.zdl.it.support.Queries.awaitTermination;
import static io.zdl.it.support.Queries.newDir;
import static io.zdl.it.support.Queries.start;
import static io.zdl.it.support.Queries.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import io.zdl.it.support.Sources;
import io.zdl.it.support.TestRecords;
import io.zdl.spark.audit.AuditMain;
import io.zdl.spark.audit.AuditReport;
import io.zdl.spark.audit.ClassifiedGap;
import io.zdl.spark.audit.PartitionAudit;
import io.zdl.spark.audit.Span;
import io.zdl.spark.audit.ZdlAudit;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.process.ChildJvm;
import io.zdl.test.spark.SparkTestSession;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.nio.file.Files;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The audit against real zdl-delta tables filled from a real broker, through the CLI and the Java API. */
class AuditIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  private final SparkSession spark = SparkTestSession.get();

  private record Cli(int exit, String out, String err) {}

  private static Cli cli(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = AuditMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Cli(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static Cli audit(Path table, String... more) {
    List<String> args = new ArrayList<>(List.of("--table", table.toString(), "--kafka.bootstrap.servers",
        KAFKA.broker().bootstrapServers()));
    args.addAll(List.of(more));
    return cli(args.toArray(new String[0]));
  }

  private AuditReport auditApi(Path table) {
    return ZdlAudit.run(spark, table.toString(), Map.of("kafka.bootstrap.servers", KAFKA.broker().bootstrapServers()));
  }

  /** {@code AuditMain.main} in a JVM of its own (local Spark), as spark-submit runs it: its exit code and output. */
  private static Cli mainInChildJvm(String... args) throws Exception {
    List<String> cmd = ChildJvm.javaCommand("512m");
    // what spark-submit would pass as spark.* system properties
    cmd.addAll(List.of("-Dspark.master=local[1]", "-Dspark.ui.enabled=false", "-Dspark.driver.host=127.0.0.1",
        "-Dspark.driver.bindAddress=127.0.0.1", "-Dspark.sql.shuffle.partitions=2",
        "-Dspark.local.dir=" + SparkTestSession.workDir().resolve("spark-local"),
        "-cp", ChildJvm.classpath(), AuditMain.class.getName()));
    cmd.addAll(List.of(args));
    Path log = newDir("audit-main").resolve("out.log");
    int exit = ChildJvm.awaitExit(ChildJvm.start(cmd, null, log), java.time.Duration.ofSeconds(180));
    return new Cli(exit, java.nio.file.Files.readString(log), "");
  }

  private static String topic(int partitions) {
    String topic = unique("audit");
    KAFKA.broker().createTopic(topic, partitions);
    return topic;
  }

  /** zdl-kafka -> zdl-delta with Trigger.AvailableNow, 40 offsets a batch; {@code columns} null keeps all. */
  private Path fill(String topic, String[] columns, String... sourceOptions) {
    Path table = newDir("table");
    fill(table, newDir("cp"), topic, columns, new String[0], sourceOptions);
    return table;
  }

  private void fill(Path table, Path checkpoint, String topic, String[] columns, String[] sinkOptions,
      String... sourceOptions) {
    Dataset<Row> rows = Sources.sinkSuiteStream(spark, KAFKA.broker(), topic, sourceOptions).load();
    if (columns != null) {
      rows = rows.selectExpr(columns);
    }
    write(rows, table, checkpoint, sinkOptions);
  }

  /** {@code topic} from earliest, 40 offsets a batch, through {@code transform} into a new table. */
  private Path fillThrough(String topic, UnaryOperator<Dataset<Row>> transform, String... sourceOptions) {
    Path table = newDir("table");
    write(transform.apply(Sources.sinkSuiteStream(spark, KAFKA.broker(), topic, sourceOptions).load()), table,
        newDir("cp"), new String[0]);
    return table;
  }

  private void write(Dataset<Row> rows, Path table, Path checkpoint, String[] sinkOptions) {
    DataStreamWriter<Row> w = rows.writeStream().format("zdl-delta").option("checkpointLocation",
        checkpoint.toString()).trigger(Trigger.AvailableNow()).option("path", table.toString());
    for (int i = 0; i < sinkOptions.length; i += 2) {
      w = w.option(sinkOptions[i], sinkOptions[i + 1]);
    }
    awaitTermination(start(w), 300);
  }

  private static JsonNode partitionJson(JsonNode report, int partition) {
    for (JsonNode p : report.path("partitions")) {
      if (p.path("partition").asInt() == partition) {
        return p;
      }
    }
    throw new AssertionError("no partition " + partition + " in " + report);
  }

  @Test
  void aCleanTableAuditsZeroWithItsHeldRangesAndWhatIsAheadInKafka() throws Exception {
    String topic = topic(3);
    TestRecords.produce(KAFKA.broker(), topic, 3, 0, 90);
    Path table = fill(topic, null);
    TestRecords.produce(KAFKA.broker(), topic, 3, 90, 12); // not in the table yet: 4 per partition ahead

    Cli text = audit(table);
    assertEquals(0, text.exit(), text.out() + text.err());
    assertTrue(text.out().contains("RESULT: clean") && text.out().contains("Row-level checks: yes"), text.out());
    assertFalse(text.out().contains(KAFKA.broker().bootstrapServers()), "Kafka settings must not be echoed");

    Cli json = audit(table, "--json");
    assertEquals(0, json.exit(), json.err());
    JsonNode report = new ObjectMapper().readTree(json.out());
    assertEquals(1, report.path("version").asInt());
    assertEquals("clean", report.path("verdict").asText());
    assertFalse(json.out().contains(KAFKA.broker().bootstrapServers()));
    for (int p = 0; p < 3; p++) {
      JsonNode part = partitionJson(report, p);
      assertEquals(topic, part.path("topic").asText());
      assertEquals(30, part.path("tableNext").asLong());
      assertEquals(30, part.path("rows").asLong());
      assertEquals("[{\"from\":0,\"until\":30}]", part.path("held").toString());
      assertEquals(4, part.path("kafka").path("ahead").asLong());
      assertEquals(0, part.path("gaps").path("unexplained").size());
      assertEquals(0, part.path("duplicates").path("offsets").asLong());
    }

    // the same table by its catalog name
    String name = unique("audited").replace('-', '_');
    spark.sql("CREATE TABLE " + name + " USING delta LOCATION '" + table + "'");
    long t0 = System.nanoTime();
    AuditReport byName = ZdlAudit.run(spark, name,
        Map.of("kafka.bootstrap.servers", KAFKA.broker().bootstrapServers(), "topic", topic));
    System.out.printf("audit of 3 partitions, 90 rows: %d ms%n", (System.nanoTime() - t0) / 1_000_000);
    assertTrue(byName.clean(), byName.toText());
    assertEquals(3, byName.partitions().size());
    assertEquals(List.of(new Span(0, 30)), byName.partition(topic, 2).held());
  }

  @Test
  void abortedTransactionsAndMarkersAreTransactionGapsNotProblems() throws Exception {
    String topic = topic(1);
    Properties props = KAFKA.broker().producerProperties();
    props.put("transactional.id", topic + "-producer");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      producer.initTransactions();
      for (int t = 0; t < 12; t++) {
        producer.beginTransaction();
        for (int i = 0; i < 3; i++) {
          producer.send(new ProducerRecord<>(topic, 0, null, ("t" + t + "-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        producer.flush(); // so the aborted records really are in the log
        if (t % 3 == 1) {
          producer.abortTransaction();
        } else {
          producer.commitTransaction();
        }
      }
    }
    Path table = fill(topic, null, "kafka.isolation.level", "read_committed");

    AuditReport report = auditApi(table);
    assertEquals(AuditReport.EXIT_CLEAN, report.exitCode(), report.toText());
    PartitionAudit p = report.partition(topic, 0);
    // 12 transactions of 3 records and a marker: 48 offsets, of which 8 committed transactions hold 24 records
    assertEquals(48, p.tableNext());
    assertEquals(24, p.rows());
    List<ClassifiedGap> txnGaps = p.gaps(ClassifiedGap.Kind.TRANSACTION_GAP);
    long gapOffsets = txnGaps.stream().mapToLong(g -> g.span().size()).sum();
    assertEquals(24, gapOffsets, report.toText());
    assertTrue(txnGaps.contains(txnGaps.stream().filter(g -> g.span().equals(new Span(3, 8))).findFirst()
        .orElseThrow(() -> new AssertionError("marker, aborted transaction and its marker: " + report.toText()))));
    assertTrue(p.gaps(ClassifiedGap.Kind.UNEXPLAINED).isEmpty());
    assertTrue(report.toText().contains("transaction gap"), report.toText());
  }

  @Test
  void aGapTheSinkWasAllowedToLeaveIsARecordedLoss() throws Exception {
    String topic = topic(1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 20);
    Path table = fill(topic, null);
    TestRecords.produce(KAFKA.broker(), topic, 1, 20, 20);
    // a new checkpoint that starts past the table's end: offsets [20, 30) never reach the table
    fill(table, newDir("cp"), topic, null, new String[] {"allowOffsetGaps", "true"},
        "startingOffsets", "{\"" + topic + "\":{\"0\":30}}");

    Cli text = audit(table);
    assertEquals(0, text.exit(), text.out() + text.err());
    assertTrue(text.out().contains("[20, 30) the sink was allowed to leave it (allowOffsetGaps=true) "
        + "[ZDL_SINK_OFFSET_GAP]"), text.out());
    PartitionAudit p = auditApi(table).partition(topic, 0);
    assertEquals(List.of(new Span(0, 20), new Span(30, 40)), p.held());
    assertEquals(1, p.gaps(ClassifiedGap.Kind.RECORDED_LOSS).size());
    assertEquals(1, p.gaps().size());
  }

  @Test
  void offsetsTheSourceSkippedAsLostAreARecordedLoss() throws Exception {
    String topic = topic(1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 20);
    Path table = newDir("table");
    Path checkpoint = newDir("cp");
    fill(table, checkpoint, topic, null, new String[0]);
    TestRecords.produce(KAFKA.broker(), topic, 1, 20, 20);
    KAFKA.broker().admin().deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(30)))
        .all().get(60, TimeUnit.SECONDS);
    fill(table, checkpoint, topic, null, new String[0], "failOnDataLoss", "false");

    Cli text = audit(table);
    assertEquals(0, text.exit(), text.out() + text.err());
    assertTrue(text.out().contains("[20, 30) skipped by the source as lost (failOnDataLoss=false)")
        && text.out().contains("[ZDL_DATA_LOSS.OFFSETS_OUT_OF_RANGE]"), text.out());
    PartitionAudit p = auditApi(table).partition(topic, 0);
    assertEquals(List.of(new Span(0, 20), new Span(30, 40)), p.held());
    assertEquals(30, p.kafkaLogStart());
    List<ClassifiedGap> gaps = p.gaps();
    assertEquals(1, gaps.size(), gaps.toString());
    assertEquals(ClassifiedGap.Kind.RECORDED_LOSS, gaps.get(0).kind());
    assertEquals(new Span(20, 30), gaps.get(0).span());
  }

  @Test
  void rowsAppendedBehindZdlsBackAreDuplicatesNamedByPartitionAndOffsets() throws Exception {
    String topic = topic(2);
    TestRecords.produce(KAFKA.broker(), topic, 2, 0, 40);
    Path table = fill(topic, null);
    spark.read().format("delta").load(table.toString()).where("partition = 1 AND offset >= 3 AND offset < 7")
        .write().format("delta").mode("append").save(table.toString());

    Cli text = audit(table);
    assertEquals(2, text.exit(), text.out() + text.err());
    String block = text.out().substring(text.out().indexOf(topic + " partition 1"));
    assertTrue(block.contains("DUPLICATES: 4 offset(s)") && block.contains("[3, 7)"), text.out());
    assertTrue(text.out().contains(topic + " partition 0  [ok]"), text.out());

    PartitionAudit p = auditApi(table).partition(topic, 1);
    assertEquals(List.of(new Span(3, 7)), p.duplicates());
    assertEquals(4, p.extraRows());

    // the command line as a process: main exits with the report's code
    Cli process = mainInChildJvm("--table", table.toString(), "--kafka.bootstrap.servers",
        KAFKA.broker().bootstrapServers(), "--json");
    assertEquals(2, process.exit(), process.out());
    assertTrue(process.out().contains("\"duplicatedOffsets\":4"), process.out());
    assertEquals(1, mainInChildJvm("--table", table.toString()).exit());
  }

  @Test
  void rowsDeletedFromTheTableAreAnUnexplainedGap() throws Exception {
    String topic = topic(2);
    TestRecords.produce(KAFKA.broker(), topic, 2, 0, 40);
    Path table = fill(topic, null);
    DeltaTable.forPath(spark, table.toString()).delete("partition = 0 AND offset >= 10 AND offset < 13");

    Cli text = audit(table);
    assertEquals(2, text.exit(), text.out() + text.err());
    assertTrue(text.out().contains("[10, 13) Kafka holds 3 committed record(s)"), text.out());

    AuditReport report = auditApi(table);
    List<ClassifiedGap> unexplained = report.partition(topic, 0).gaps(ClassifiedGap.Kind.UNEXPLAINED);
    assertEquals(1, unexplained.size());
    assertEquals(new Span(10, 13), unexplained.get(0).span());
    assertTrue(report.partition(topic, 1).clean());
  }

  @Test
  void withoutKafkaColumnsTheAuditFallsBackToTheCommitSummariesAndSaysSo() throws Exception {
    String topic = topic(2);
    TestRecords.produce(KAFKA.broker(), topic, 2, 0, 60);
    Path table = fill(topic, new String[] {"CAST(value AS STRING) AS v"});

    Cli json = audit(table, "--json", "--topic", topic);
    assertEquals(0, json.exit(), json.out() + json.err());
    JsonNode report = new ObjectMapper().readTree(json.out());
    assertEquals(1, report.path("version").asInt());
    assertFalse(report.path("rowLevel").asBoolean());
    assertTrue(report.path("rowLevelUnavailable").asText().contains("topic"), json.out());
    assertEquals("[{\"from\":0,\"until\":30}]", partitionJson(report, 1).path("held").toString());
    assertTrue(audit(table).out().contains("Row-level checks: NOT POSSIBLE"));
  }

  @Test
  void badArgumentsExitOneNamingTheArgument() {
    Cli noTable = cli("--kafka.bootstrap.servers", KAFKA.broker().bootstrapServers());
    assertEquals(1, noTable.exit());
    assertTrue(noTable.err().contains("--table"), noTable.err());

    Cli noKafka = cli("--table", newDir("t").toString());
    assertEquals(1, noKafka.exit());
    assertTrue(noKafka.err().contains("kafka.bootstrap.servers"), noKafka.err());

    Cli unknown = audit(newDir("t"), "--sinkid", "a", "--frobnicate", "1");
    assertEquals(1, unknown.exit());
    assertTrue(unknown.err().contains("frobnicate"), unknown.err());

    Cli notDelta = audit(newDir("empty"));
    assertEquals(1, notDelta.exit());
    assertTrue(notDelta.err().contains("table"), notDelta.err());
    assertEquals("", notDelta.out());
  }

  // ---- issue 16: the audit tells the truth ----

  @Test
  void aTableWrittenThroughAFilterIsCleanBecauseItsConsumedRangesAreTrusted() throws Exception {
    String topic = topic(1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 200);
    Path table = fillThrough(topic, rows -> rows.where("offset % 2 = 0"));

    Cli text = audit(table);
    assertEquals(0, text.exit(), text.out() + text.err());
    AuditReport report = auditApi(table);
    PartitionAudit p = report.partition(topic, 0);
    assertEquals(100, p.rows());
    assertEquals(200, p.tableNext());
    assertTrue(p.gaps().isEmpty(), report.toText());
    assertEquals(List.of(new Span(0, 200)), p.consumedWithoutRowCheck(), report.toText());
    assertTrue(text.out().contains("consumed, rows not one per record"), text.out());
  }

  @Test
  void aTableWrittenThroughAnExplodeHoldsSeveralRowsPerRecordWithoutDuplicates() throws Exception {
    String topic = topic(2);
    TestRecords.produce(KAFKA.broker(), topic, 2, 0, 60);
    Path table = fillThrough(topic, rows -> rows.selectExpr("*", "explode(array(1, 2, 3)) AS copy"));

    Cli text = audit(table);
    assertEquals(0, text.exit(), text.out() + text.err());
    PartitionAudit p = auditApi(table).partition(topic, 1);
    assertEquals(90, p.rows());
    assertEquals(0, p.duplicatedOffsets());
    assertTrue(p.gaps().isEmpty());
  }

  @Test
  void aTableWrittenThroughProjectionsOnlyIsStillCheckedRowByRow() throws Exception {
    String topic = topic(1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 40);
    Path table = fillThrough(topic,
        rows -> rows.selectExpr("offset", "topic", "partition", "CAST(value AS STRING) AS v").withColumn("n",
            org.apache.spark.sql.functions.lit(1)));
    DeltaTable.forPath(spark, table.toString()).delete("offset >= 10 AND offset < 13");

    AuditReport report = auditApi(table);
    assertEquals(AuditReport.EXIT_PROBLEMS, report.exitCode(), report.toText());
    assertEquals(List.of(new Span(10, 13)), report.partition(topic, 0).gaps(ClassifiedGap.Kind.UNEXPLAINED).stream()
        .map(ClassifiedGap::span).toList());
    assertTrue(report.partition(topic, 0).consumedWithoutRowCheck().isEmpty());
  }

  @Test
  void aColumnMerelyNamedOffsetIsNotTakenForTheSourcesOffset() throws Exception {
    String topic = topic(1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 40);
    // "offset" here is the source's offset doubled: rows cannot be checked against it
    Path table = fillThrough(topic, rows -> rows.selectExpr("topic", "partition", "offset * 2 AS offset"));

    AuditReport report = auditApi(table);
    assertEquals(AuditReport.EXIT_CLEAN, report.exitCode(), report.toText());
    assertEquals(List.of(new Span(0, 40)), report.partition(topic, 0).consumedWithoutRowCheck());
  }

  @Test
  void offsetsKafkaHoldsBelowTheTablesFirstPositionAndPartitionsItNeverSawAreReported() throws Exception {
    String topic = topic(2);
    TestRecords.produce(KAFKA.broker(), topic, 2, 0, 60);
    Path table = newDir("table");
    write(Sources.stream(spark, KAFKA.broker(), "assign", "{\"" + topic + "\":[0]}", "startingOffsets",
        "{\"" + topic + "\":{\"0\":10}}").load(), table, newDir("cp"), new String[0]);

    Cli text = audit(table);
    assertEquals(0, text.exit(), text.out() + text.err());
    assertTrue(text.out().contains("kafka holds [0, 10) below the table's first offset: the table never got them"),
        text.out());
    assertTrue(text.out().contains(topic + " partition 1"), text.out());
    assertTrue(text.out().contains("the table never got any of [0, 30)"), text.out());
    JsonNode report = new ObjectMapper().readTree(audit(table, "--json").out());
    assertEquals("[{\"from\":0,\"until\":10}]", partitionJson(report, 0).path("kafka").path("neverGot").toString());
    assertEquals("[{\"from\":0,\"until\":30}]", partitionJson(report, 1).path("kafka").path("neverGot").toString());
  }

  @Test
  void commitsRemovedByDeltaLogRetentionAreReportedAsTrimmedHistoryNotUnexplained() throws Exception {
    String topic = topic(1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 36);
    // 3 offsets a batch: 12 commits (versions 0 to 11), so Delta writes a checkpoint at version 10
    Path table = fillThrough(topic, rows -> rows.where("offset % 2 = 0"), "maxOffsetsPerTrigger", "3");
    Path log = table.resolve("_delta_log");
    assertTrue(Files.exists(log.resolve(String.format("%020d.checkpoint.parquet", 10))));
    // what Delta's log cleanup does once delta.logRetentionDuration has passed: commits before a checkpoint go
    for (int v = 0; v < 10; v++) {
      Files.delete(log.resolve(String.format("%020d.json", v)));
    }

    Cli text = audit(table);
    assertEquals(0, text.exit(), text.out() + text.err());
    assertTrue(text.out().contains("history starts at version 10"), text.out());
    PartitionAudit p = auditApi(table).partition(topic, 0);
    assertTrue(p.gaps(ClassifiedGap.Kind.UNEXPLAINED).isEmpty(), p.gaps().toString());
    assertFalse(p.gaps(ClassifiedGap.Kind.UNVERIFIABLE).isEmpty(), p.gaps().toString());
    assertTrue(p.gaps(ClassifiedGap.Kind.UNVERIFIABLE).get(0).reason().contains("log retention"), p.gaps().toString());
  }

  @Test
  void transactionGapsBelowKafkasLogStartAreUnverifiableNotAFailureForever() throws Exception {
    String topic = topic(1);
    Properties props = KAFKA.broker().producerProperties();
    props.put("transactional.id", topic + "-producer");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      producer.initTransactions();
      for (int t = 0; t < 4; t++) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, 0, null, ("t" + t).getBytes(StandardCharsets.UTF_8)));
        producer.commitTransaction();
      }
    }
    Path table = fill(topic, null, "kafka.isolation.level", "read_committed");
    KAFKA.broker().admin().deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(8)))
        .all().get(60, TimeUnit.SECONDS);

    Cli text = audit(table);
    assertEquals(0, text.exit(), text.out() + text.err());
    PartitionAudit p = auditApi(table).partition(topic, 0);
    assertEquals(8, p.kafkaLogStart());
    assertEquals(4, p.gaps(ClassifiedGap.Kind.UNVERIFIABLE).size(), p.gaps().toString());
    assertTrue(p.gaps(ClassifiedGap.Kind.UNEXPLAINED).isEmpty(), p.gaps().toString());
    assertTrue(text.out().contains("unverifiable: 4 range(s)"), text.out());
  }

  @Test
  void kafkaUnreachableExitsThree() throws Exception {
    String topic = topic(1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 10);
    Path table = fill(topic, null);
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    Cli cli = cli("--table", table.toString(), "--kafka.bootstrap.servers", "127.0.0.1:" + closedPort,
        "--kafka.default.api.timeout.ms", "3000", "--kafka.request.timeout.ms", "2000");
    assertEquals(AuditMain.EXIT_FAILED, cli.exit(), cli.out() + cli.err());
    assertEquals("", cli.out());
    assertFalse(cli.err().isEmpty());
  }

  @Test
  void aDeltaTableThatCannotBeReadExitsThreeNotOne() throws Exception {
    String topic = topic(1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 10);
    Path table = fill(topic, null);
    try (Stream<Path> commits = Files.list(table.resolve("_delta_log"))) {
      for (Path c : commits.filter(f -> f.toString().endsWith(".json")).toList()) {
        Files.writeString(c, "{not json");
      }
    }
    Cli corrupt = audit(table);
    assertEquals(AuditMain.EXIT_FAILED, corrupt.exit(), corrupt.out() + corrupt.err());
    assertTrue(corrupt.err().contains(table.toString()), corrupt.err());
  }
}
