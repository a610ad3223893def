package io.zdl.test.pipeline;

import io.zdl.test.process.KeyValueArgs;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * zdl-kafka into zdl-delta as a program of its own, so that fault tests can SIGKILL it. Arguments
 * are key=value: bootstrap, topic, table, checkpoint, workDir, maxOffsetsPerTrigger (default 40),
 * trigger (availableNow | processingTime | realTime; realTime is Spark 4.1+ and writes to the console sink;
 * default availableNow), resumeFromTable (true|false), master (default local[2]; local[2,4] retries failed tasks), triggerMs (processingTime interval, default 200),
 * sinkId (default: the sink's). Arguments {@code source.<option>=v} set a zdl-kafka option (e.g.
 * source.kafka.isolation.level); {@code spark.<key>=v} and {@code conf.<key>=v} a Spark setting (e.g.
 * spark.hadoop.fs.s3a.endpoint, conf.spark.delta.logStore.s3a.impl). With {@code oracleTable} and
 * {@code oracleCheckpoint}, once the zdl query is done the same JVM reads the topic from earliest with
 * Spark's built-in {@code kafka} source into {@code format("delta")} there (AvailableNow), the differential's
 * oracle on this JVM's Spark line.
 * Exits 0 when an AvailableNow run is done, 1 when the query fails.
 */
public final class PipelineMain {
  public static final String STARTED = "ZDL-PIPELINE started";
  public static final String FINISHED = "ZDL-PIPELINE finished";
  /** Followed by the Spark and Delta versions this JVM runs, e.g. {@code spark=3.5.7 delta=3.3.3}. */
  public static final String RUNTIME = "ZDL-PIPELINE runtime";

  private PipelineMain() {}

  public static void main(String[] args) {
    KeyValueArgs a = KeyValueArgs.parse(args);
    try {
      SparkSession.Builder builder = SparkSession.builder().master(a.getOrDefault("master", "local[2]"))
          .appName("zdl-pipeline")
          .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
          .config("spark.sql.shuffle.partitions", "2").config("spark.databricks.delta.snapshotPartitions", "2")
          .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
          .config("spark.local.dir", a.get("workDir") + "/spark-local")
          .config("spark.sql.warehouse.dir", a.get("workDir") + "/spark-warehouse")
          .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
      for (Map.Entry<String, String> e : a.prefixed("spark.").entrySet()) {
        builder = builder.config(e.getKey(), e.getValue());
      }
      for (Map.Entry<String, String> e : a.stripped("conf.").entrySet()) {
        builder = builder.config(e.getKey(), e.getValue());
      }
      SparkSession spark = builder.getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
      System.out.println(RUNTIME + " spark=" + spark.version() + " delta="
          + io.delta.tables.DeltaTable.class.getPackage().getImplementationVersion());
      DataStreamReader reader = spark.readStream().format("zdl-kafka")
          .option("kafka.bootstrap.servers", a.get("bootstrap"))
          .option("subscribe", a.get("topic"))
          .option("startingOffsets", "earliest")
          .option("includeHeaders", "true")
          .option("maxOffsetsPerTrigger", a.getOrDefault("maxOffsetsPerTrigger", "40"))
          .options(a.stripped("source."));
      if (Boolean.parseBoolean(a.getOrDefault("resumeFromTable", "false"))) {
        reader = reader.option("startingOffsetsFromTable", a.get("table"));
      }
      String triggerName = a.getOrDefault("trigger", "availableNow");
      boolean realTime = "realTime".equals(triggerName);
      // real-time mode takes only the sinks on Spark's allowlist (console is one) and the update output mode,
      // which zdl-delta refuses before the source is asked anything
      DataStreamWriter<Row> writer = reader.load().writeStream().format(realTime ? "console" : "zdl-delta")
          .option("checkpointLocation", a.get("checkpoint")).trigger(trigger(triggerName, a));
      if (realTime) {
        writer = writer.outputMode("update");
      }
      if (a.containsKey("sinkId")) {
        writer = writer.option("sinkId", a.get("sinkId"));
      }
      StreamingQuery q = writer.start(a.get("table"));
      System.out.println(STARTED);
      q.awaitTermination();
      if (a.containsKey("oracleTable")) {
        spark.readStream().format("kafka")
            .option("kafka.bootstrap.servers", a.get("bootstrap"))
            .option("subscribe", a.get("topic"))
            .option("startingOffsets", "earliest")
            .option("includeHeaders", "true")
            .load().writeStream().format("delta")
            .option("checkpointLocation", a.get("oracleCheckpoint")).trigger(Trigger.AvailableNow())
            .start(a.get("oracleTable")).awaitTermination();
      }
      System.out.println(FINISHED);
      spark.stop();
      System.exit(0);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
  }

  private static Trigger trigger(String name, KeyValueArgs a) throws ReflectiveOperationException {
    switch (name) {
      case "processingTime":
        return Trigger.ProcessingTime(Long.parseLong(a.getOrDefault("triggerMs", "200")), TimeUnit.MILLISECONDS);
      case "realTime": // Spark 4.1+ only, and this file also compiles against Spark 3.4 and 4.0: by name
        return (Trigger) Trigger.class.getMethod("RealTime", long.class).invoke(null, 5000L);
      case "availableNow":
        return Trigger.AvailableNow();
      default:
        throw new IllegalArgumentException("trigger=" + name + ": expected availableNow, processingTime or realTime");
    }
  }
}
