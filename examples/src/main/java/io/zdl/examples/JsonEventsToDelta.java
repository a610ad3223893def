package io.zdl.examples;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_json;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The shape of a production job: JSON events from a Kafka topic, read with {@code zdl-kafka}, parsed, and
 * appended exactly once to a Delta table with {@code zdl-delta}.
 *
 * <pre>
 * spark-submit --class io.zdl.examples.JsonEventsToDelta \
 *   --repositories file:///opt/zdl-repo \
 *   --packages io.zdl:zdl-connector_2.12:0.1.0-SNAPSHOT,io.delta:delta-core_2.12:2.4.0 \
 *   --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension \
 *   --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog \
 *   zdl-examples_2.12-0.1.0-SNAPSHOT.jar \
 *   --bootstrap broker1:9092 --topic events \
 *   --table s3a://bucket/tables/events --checkpoint s3a://bucket/checkpoints/events \
 *   [--trigger availableNow | --trigger 30s]
 * </pre>
 *
 * <p>{@code /opt/zdl-repo}: the directory {@code mvn -B -DskipTests -pl connector,connector-spark4 -am verify
 * -Dzdl.local.repo=/opt/zdl-repo} fills (io.zdl is not on Maven Central yet). The two {@code --conf} are Delta's
 * session settings, which the sink needs; the session below takes them from spark-submit.
 *
 * <p>That is Spark 3.4. {@code --packages} on the other lines (zdl, then Delta): Spark 3.5
 * {@code io.zdl:zdl-connector_2.12:0.1.0-SNAPSHOT,io.delta:delta-spark_2.12:3.3.3}; Spark 4.0
 * {@code io.zdl:zdl-connector_2.13:0.1.0-SNAPSHOT,io.delta:delta-spark_2.13:4.0.1}; Spark 4.1
 * {@code io.zdl:zdl-connector_2.13:0.1.0-SNAPSHOT,io.delta:delta-spark_4.1_2.13:4.4.0}; Spark 4.2
 * {@code io.zdl:zdl-connector_2.13:0.1.0-SNAPSHOT,io.delta:delta-spark_4.2_2.13:4.4.0}. This examples jar is
 * built for Scala 2.12; on Spark 4 run the PySpark or Scala version of the job.
 *
 * A record whose value is not JSON of that shape is kept, with null event fields and its text in
 * {@code json}, rather than dropped: a streaming job that silently discards input is a data loss too.
 */
public final class JsonEventsToDelta {
  /** The events' JSON: {"id":1,"kind":"click","user":"u1","amount":2.5}. */
  public static final StructType EVENT = new StructType()
      .add("id", DataTypes.LongType)
      .add("kind", DataTypes.StringType)
      .add("user", DataTypes.StringType)
      .add("amount", DataTypes.DoubleType);

  private JsonEventsToDelta() {}

  /**
   * The topic's records as event rows. {@code topic}, {@code partition} and {@code offset} stay in the
   * table: they name each row's Kafka record, and zdl-delta needs them to drop rows the table already holds
   * if the query ever restarts from {@code earliest} without its checkpoint.
   */
  public static Dataset<Row> events(SparkSession spark, String bootstrapServers, String topic) {
    Dataset<Row> records = spark.readStream().format("zdl-kafka")     // was: format("kafka")
        .option("kafka.bootstrap.servers", bootstrapServers)
        .option("subscribe", topic)
        .option("startingOffsets", "earliest")
        .option("maxOffsetsPerTrigger", "100000")
        .load();
    return records
        .select(from_json(col("value").cast("string"), EVENT).as("event"), col("value").cast("string").as("json"),
            col("topic"), col("partition"), col("offset"), col("timestamp").as("kafka_timestamp"))
        .select("event.*", "json", "topic", "partition", "offset", "kafka_timestamp");
  }

  /** Appends {@code events} to the Delta table at {@code table}, one Delta commit per micro-batch. */
  public static StreamingQuery start(Dataset<Row> events, String table, String checkpoint, Trigger trigger)
      throws TimeoutException {
    return events.writeStream().format("zdl-delta")                  // was: format("delta")
        .option("checkpointLocation", checkpoint)
        .trigger(trigger)
        .start(table);
  }

  /** Runs until the query stops: at once after the available records with {@code --trigger availableNow}. */
  public static void main(String[] args) throws TimeoutException, StreamingQueryException {
    Map<String, String> a = arguments(args);
    SparkSession spark = SparkSession.builder().appName("zdl-json-events-to-delta").getOrCreate();
    StreamingQuery query = start(events(spark, a.get("bootstrap"), a.get("topic")), a.get("table"), a.get("checkpoint"),
        trigger(a.getOrDefault("trigger", "10s")));
    query.awaitTermination();
  }

  /** {@code --name value} pairs; bootstrap, topic, table and checkpoint are required. */
  static Map<String, String> arguments(String[] args) {
    Map<String, String> a = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("expected --name value pairs, got: " + String.join(" ", args));
      }
      a.put(args[i].substring(2), args[i + 1]);
    }
    for (String required : new String[] {"bootstrap", "topic", "table", "checkpoint"}) {
      if (!a.containsKey(required)) {
        throw new IllegalArgumentException("missing --" + required
            + "; usage: --bootstrap HOST:PORT --topic T --table PATH --checkpoint PATH [--trigger availableNow|30s]");
      }
    }
    return a;
  }

  /** {@code availableNow}, or a processing-time interval such as {@code 30s} or {@code 2 minutes}. */
  static Trigger trigger(String value) {
    if ("availableNow".equalsIgnoreCase(value)) {
      return Trigger.AvailableNow();
    }
    String interval = value.matches("\\d+s") ? value.substring(0, value.length() - 1) + " seconds" : value;
    return Trigger.ProcessingTime(interval);
  }
}
