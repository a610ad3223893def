package io.zdl.examples;

import io.zdl.test.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The README demo: an embedded Kafka broker, records produced, {@code zdl-kafka} streaming them into
 * a Delta table on local disk; the query is stopped mid-stream, more records arrive while it is
 * down, it restarts from its checkpoint, and the table is checked against what was produced.
 */
public final class QuickstartDemo {
  private static final String TOPIC = "demo-events";
  private static final int FIRST_RUN_RECORDS = 6000;
  private static final int WHILE_DOWN_RECORDS = 4000;

  private QuickstartDemo() {}

  public static void main(String[] args) throws Exception {
    Path work = Files.createDirectories(Paths.get("target", "zdl-demo-" + System.currentTimeMillis()))
        .toAbsolutePath();
    Path table = work.resolve("events-table");
    Path checkpoint = work.resolve("checkpoint");
    say("working in " + work);

    try (KafkaBroker broker = KafkaBroker.start(work.resolve("kafka"))) {
      say("Kafka broker (KRaft) up at " + broker.bootstrapServers());
      broker.createTopic(TOPIC, 3);
      produce(broker, 0, FIRST_RUN_RECORDS);
      say("produced " + FIRST_RUN_RECORDS + " records to " + TOPIC);

      SparkSession spark = SparkSession.builder().master("local[2]").appName("zdl-demo")
          .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
          .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          .getOrCreate();

      say("act 1: streaming with zdl-kafka into Delta, 1000 offsets per batch");
      StreamingQuery first = start(spark, broker, table, checkpoint, Trigger.ProcessingTime(200, TimeUnit.MILLISECONDS));
      waitForBatches(first, 2);
      first.stop();
      say("stopped mid-stream with " + spark.read().format("delta").load(table.toString()).count()
          + " rows in the table");

      produce(broker, FIRST_RUN_RECORDS, WHILE_DOWN_RECORDS);
      say("produced " + WHILE_DOWN_RECORDS + " more records while the query was down");

      say("act 2: restarting from the checkpoint (Trigger.AvailableNow)");
      StreamingQuery second = start(spark, broker, table, checkpoint, Trigger.AvailableNow());
      if (!second.awaitTermination(TimeUnit.MINUTES.toMillis(5))) {
        throw new IllegalStateException("the restarted query did not finish within 5 minutes");
      }

      Dataset<Row> rows = spark.read().format("delta").load(table.toString());
      long produced = FIRST_RUN_RECORDS + WHILE_DOWN_RECORDS;
      long inTable = rows.count();
      long distinct = rows.selectExpr("get_json_object(json, '$.id') AS id").distinct().count();
      long unknown = rows.selectExpr("CAST(get_json_object(json, '$.id') AS INT) AS id")
          .where("id IS NULL OR id < 0 OR id >= " + produced).count();
      long missing = produced - (distinct - unknown);
      long duplicated = inTable - distinct;
      System.out.println();
      System.out.println("  produced:   " + produced);
      System.out.println("  in table:   " + inTable);
      System.out.println("  missing:    " + missing);
      System.out.println("  duplicated: " + duplicated);
      System.out.println();
      spark.stop();
      if (missing != 0 || duplicated != 0 || unknown != 0) {
        say("FAILED: the table does not hold every produced record exactly once");
        System.exit(1);
      }
      say("OK: every produced record is in the table exactly once");
    }
  }

  private static StreamingQuery start(SparkSession spark, KafkaBroker broker, Path table, Path checkpoint,
      Trigger trigger) throws Exception {
    return spark.readStream().format("zdl-kafka")
        .option("kafka.bootstrap.servers", broker.bootstrapServers())
        .option("subscribe", TOPIC)
        .option("startingOffsets", "earliest")
        .option("maxOffsetsPerTrigger", "1000")
        .load()
        .selectExpr("CAST(key AS STRING) AS key", "CAST(value AS STRING) AS json", "topic", "partition", "offset",
            "timestamp")
        .writeStream().format("delta")
        .option("checkpointLocation", checkpoint.toString())
        .trigger(trigger)
        .start(table.toString());
  }

  private static void waitForBatches(StreamingQuery query, long batches) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
    while (System.nanoTime() < deadline) {
      if (query.exception().isDefined()) {
        throw query.exception().get();
      }
      if (query.lastProgress() != null && query.lastProgress().batchId() >= batches - 1) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("no " + batches + " batches within 5 minutes");
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
