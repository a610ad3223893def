package io.zdl.it.chaos;

import io.zdl.test.process.KeyValueArgs;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The campaign's pipeline JVM: the plain query (zdl-kafka into zdl-delta, row for row, as
 * {@link io.zdl.test.pipeline.PipelineMain}) and, with {@code statefulTable}, a stateful one beside it
 * reading the same topic: {@link #dedup} into its own zdl-delta table and checkpoint. One JVM for both,
 * so every SIGKILL and broker restart hits both without a second JVM start.
 * <p>Arguments key=value: bootstrap, topic, table, checkpoint, workDir, maxOffsetsPerTrigger,
 * trigger (availableNow | processingTime), triggerMs, resumeFromTable (true|false); statefulTable,
 * statefulCheckpoint, statefulFrom (the table whose positions a new stateful checkpoint starts from;
 * absent: earliest). {@code source.<option>} sets a zdl-kafka option of both queries, {@code spark.<key>}
 * a Spark setting. Exits 0 when AvailableNow runs are done, 1 when a query fails.
 */
public final class ChaosPipelineMain {
  /**
   * Longer than any campaign (the long one runs about 100 minutes): no record is ever behind the
   * watermark, so the query drops rows only as duplicates of an id it has seen.
   */
  static final String WATERMARK_DELAY = "24 hours";

  private ChaosPipelineMain() {}

  public static void main(String[] args) {
    KeyValueArgs a = KeyValueArgs.parse(args);
    try {
      SparkSession.Builder builder = SparkSession.builder().master("local[2]").appName("zdl-chaos-pipeline")
          .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
          .config("spark.sql.shuffle.partitions", "2").config("spark.databricks.delta.snapshotPartitions", "2")
          .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
          .config("spark.local.dir", a.get("workDir") + "/spark-local")
          .config("spark.sql.warehouse.dir", a.get("workDir") + "/spark-warehouse")
          .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
      for (Map.Entry<String, String> e : a.prefixed("spark.").entrySet()) {
        builder = builder.config(e.getKey(), e.getValue()); // spark.master included: the standalone target
      }
      SparkSession spark = builder.getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
      Trigger trigger = "processingTime".equals(a.get("trigger"))
          ? Trigger.ProcessingTime(Long.parseLong(a.getOrDefault("triggerMs", "200")), TimeUnit.MILLISECONDS)
          : Trigger.AvailableNow();
      List<StreamingQuery> queries = new ArrayList<>();
      DataStreamReader plain = source(spark, a);
      if (Boolean.parseBoolean(a.getOrDefault("resumeFromTable", "false"))) {
        plain = plain.option("startingOffsetsFromTable", a.get("table"));
      }
      queries.add(plain.load().writeStream().format("zdl-delta").queryName("plain")
          .option("checkpointLocation", a.get("checkpoint")).trigger(trigger).start(a.get("table")));
      if (a.containsKey("statefulTable")) {
        DataStreamReader stateful = source(spark, a);
        if (a.containsKey("statefulFrom")) {
          stateful = stateful.option("startingOffsetsFromTable", a.get("statefulFrom"));
        }
        queries.add(dedup(stateful.load()).writeStream().format("zdl-delta").queryName("stateful")
            .outputMode("append").option("checkpointLocation", a.get("statefulCheckpoint")).trigger(trigger)
            .start(a.get("statefulTable")));
      }
      System.out.println(io.zdl.test.pipeline.PipelineMain.STARTED);
      // a failure of either query ends the JVM with 1; AvailableNow runs end one by one
      for (StreamingQuery q : queries) {
        q.awaitTermination();
      }
      System.out.println(io.zdl.test.pipeline.PipelineMain.FINISHED);
      spark.stop();
      System.exit(0);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
  }

  private static DataStreamReader source(SparkSession spark, KeyValueArgs a) {
    DataStreamReader r = spark.readStream().format("zdl-kafka")
        .option("kafka.bootstrap.servers", a.get("bootstrap"))
        .option("subscribe", a.get("topic"))
        .option("startingOffsets", "earliest")
        .option("includeHeaders", "true")
        .option("maxOffsetsPerTrigger", a.getOrDefault("maxOffsetsPerTrigger", "40"));
    for (Map.Entry<String, String> e : a.stripped("source.").entrySet()) {
      r = r.option(e.getKey(), e.getValue());
    }
    return r;
  }

  /**
   * The stateful pipeline: {@code dropDuplicates} on the campaign's record id and the Kafka timestamp
   * under a watermark, keeping the record's key, value and headers, so the reconcile checks its rows
   * as the plain table's. Every id is produced once, so every committed record must come out once.
   */
  static Dataset<Row> dedup(Dataset<Row> kafka) {
    return kafka.selectExpr("CAST(regexp_extract(CAST(substring(value, 1, 40) AS STRING), '^" + ChaosRecords.PREFIX
            + "([0-9]+):', 1) AS BIGINT) AS id", "timestamp", "key", "value", "headers")
        .withWatermark("timestamp", WATERMARK_DELAY)
        .dropDuplicates("id", "timestamp");
  }
}
