package io.zdl.examples;

import io.zdl.test.kafka.KafkaBroker;
import io.zdl.test.pipeline.PipelineProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The README demo. An embedded Kafka broker; records produced; a streaming query, {@code zdl-kafka}
 * into {@code zdl-delta} on local disk, running in its own JVM. Act 1 kills that JVM with SIGKILL
 * mid-stream. More records arrive while it is down. Act 2 restarts it from its checkpoint. Then
 * the table is checked against what was produced: produced, in table, missing, duplicated.
 */
public final class QuickstartDemo {
  private static final String TOPIC = "demo-events";
  private static final int FIRST_RECORDS = 6000;
  private static final int WHILE_DOWN_RECORDS = 4000;

  private QuickstartDemo() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createDirectories(Paths.get("target", "zdl-demo-" + System.currentTimeMillis()))
        .toAbsolutePath();
    Path table = work.resolve("events-table");
    say("working in " + work);

    try (KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"))) {
      say("Kafka broker (KRaft) up at " + broker.bootstrapServers());
      broker.createTopic(TOPIC, 3);
      produce(broker, 0, FIRST_RECORDS);
      say("produced " + FIRST_RECORDS + " records to " + TOPIC);

      SparkSession spark = SparkSession.builder().master("local[1]").appName("zdl-demo-checker")
          .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1")
          .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          .getOrCreate();
      List<String> args0 = List.of("bootstrap=" + broker.bootstrapServers(), "topic=" + TOPIC, "table=" + table,
          "checkpoint=" + work.resolve("checkpoint"), "workDir=" + work.resolve("pipeline"),
          "maxOffsetsPerTrigger=500");

      say("act 1: zdl-kafka -> zdl-delta streaming in its own JVM, 500 offsets per batch");
      try (PipelineProcess pipeline = PipelineProcess.start(work.resolve("act1.log"), Collections.emptyMap(),
          concat(args0, "trigger=processingTime"))) {
        waitForCommits(table, pipeline, 3);
        pipeline.kill();
      }
      say("killed the query's JVM with SIGKILL mid-stream; the table had " + rows(spark, table).count() + " rows");

      produce(broker, FIRST_RECORDS, WHILE_DOWN_RECORDS);
      say("produced " + WHILE_DOWN_RECORDS + " more records while the query was down");

      say("act 2: restarting the query from its checkpoint (Trigger.AvailableNow)");
      try (PipelineProcess pipeline = PipelineProcess.start(work.resolve("act2.log"), Collections.emptyMap(), args0)) {
        int exit = pipeline.waitFor(Duration.ofMinutes(5));
        if (exit != 0) {
          throw new IllegalStateException("the restarted query failed:\n" + pipeline.logTail());
        }
      }

      Dataset<Row> rows = rows(spark, table);
      long produced = FIRST_RECORDS + WHILE_DOWN_RECORDS;
      long inTable = rows.count();
      Dataset<Row> ids = rows.selectExpr("CAST(get_json_object(CAST(value AS STRING), '$.id') AS INT) AS id");
      long distinct = ids.distinct().count();
      long unknown = ids.where("id IS NULL OR id < 0 OR id >= " + produced).count();
      long missing = produced - (distinct - unknown);
      long duplicated = inTable - distinct;
      long commits = spark.read().format("delta").load(table.toString()).sparkSession()
          .sql("DESCRIBE HISTORY delta.`" + table + "`").where("userMetadata LIKE '%zdl-delta%'").count();
      System.out.println();
      System.out.println("  produced:   " + produced);
      System.out.println("  in table:   " + inTable);
      System.out.println("  missing:    " + missing);
      System.out.println("  duplicated: " + duplicated);
      System.out.println("  (" + commits + " zdl-delta commits, one per batch; each records the Kafka offsets it added)");
      System.out.println();
      spark.stop();
      if (missing != 0 || duplicated != 0 || unknown != 0) {
        say("FAILED: the table does not hold every produced record exactly once");
        System.exit(1);
      }
      say("OK: every produced record is in the table exactly once");
    }
  }

  private static Dataset<Row> rows(SparkSession spark, Path table) {
    return spark.read().format("delta").load(table.toString());
  }

  /** Waits until the table's log has {@code batches} batch commits (after the one creating it). */
  private static void waitForCommits(Path table, PipelineProcess pipeline, int batches) throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    Path log = table.resolve("_delta_log");
    while (System.nanoTime() < deadline) {
      if (!pipeline.isAlive()) {
        throw new IllegalStateException("the query's JVM died:\n" + pipeline.logTail());
      }
      if (Files.isDirectory(log)) {
        try (java.util.stream.Stream<Path> files = Files.list(log)) {
          if (files.filter(f -> f.getFileName().toString().matches("\\d{20}\\.json")).count() > batches) {
            return;
          }
        }
      }
      Thread.sleep(50);
    }
    throw new IllegalStateException("no " + batches + " commits within 5 minutes:\n" + pipeline.logTail());
  }

  private static List<String> concat(List<String> list, String extra) {
    List<String> all = new java.util.ArrayList<>(list);
    all.add(extra);
    return all;
  }

  private static void produce(KafkaBroker broker, int first, int count) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = broker.newProducer()) {
      for (int id = first; id < first + count; id++) {
        String json = "{\"id\":" + id + ",\"kind\":\"click\",\"user\":\"u" + (id % 97) + "\"}";
        producer.send(new ProducerRecord<>(TOPIC, ("user-" + (id % 97)).getBytes(StandardCharsets.UTF_8),
            json.getBytes(StandardCharsets.UTF_8)));
      }
      producer.flush();
    }
  }

  private static void say(String line) {
    System.out.println("[zdl demo] " + line);
  }
}
