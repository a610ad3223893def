// JSON events from Kafka into a Delta table, exactly once, with zdl (Scala).
// For spark-shell, or a Scala notebook cell on a cluster that has the zdl library installed:
//
//   spark-shell --repositories file:///opt/zdl-repo \
//     --packages io.zdl:zdl-connector_2.12:0.1.0-SNAPSHOT,io.delta:delta-core_2.12:2.4.0 \
//     --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension \
//     --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog \
//     -i examples/scala/json_events_to_delta.scala
//
// (/opt/zdl-repo: the directory `mvn -B -DskipTests -pl connector,connector-spark4 -am verify
// -Dzdl.local.repo=/opt/zdl-repo` fills; io.zdl is not on Maven Central yet.)
// That is Spark 3.4. --packages on the other lines (zdl, then Delta):
//   Spark 3.5  io.zdl:zdl-connector_2.12:0.1.0-SNAPSHOT,io.delta:delta-spark_2.12:3.3.3
//   Spark 4.0  io.zdl:zdl-connector_2.13:0.1.0-SNAPSHOT,io.delta:delta-spark_2.13:4.0.1
//   Spark 4.1  io.zdl:zdl-connector_2.13:0.1.0-SNAPSHOT,io.delta:delta-spark_4.1_2.13:4.4.0
//   Spark 4.2  io.zdl:zdl-connector_2.13:0.1.0-SNAPSHOT,io.delta:delta-spark_4.2_2.13:4.4.0
//
// Not compiled by the build (the project has no Scala compiler); it is the Java example
// io.zdl.examples.JsonEventsToDelta, which a test runs, written in Scala.

import org.apache.spark.sql.functions.{col, from_json}
import org.apache.spark.sql.streaming.Trigger
import org.apache.spark.sql.types._

val bootstrap = "broker1:9092"
val topic = "events"
val table = "s3a://my-bucket/tables/events"
val checkpoint = "s3a://my-bucket/checkpoints/events"

// {"id": 1, "kind": "click", "user": "u1", "amount": 2.5}
val eventSchema = new StructType()
  .add("id", LongType).add("kind", StringType).add("user", StringType).add("amount", DoubleType)

val events = spark.readStream
  .format("zdl-kafka")                                   // was: "kafka"
  .option("kafka.bootstrap.servers", bootstrap)
  .option("subscribe", topic)
  .option("startingOffsets", "earliest")
  .option("maxOffsetsPerTrigger", "100000")
  .load()
  // keep topic, partition, offset: zdl-delta uses them to drop rows the table already holds
  .select(from_json(col("value").cast("string"), eventSchema).as("event"), col("value").cast("string").as("json"),
    col("topic"), col("partition"), col("offset"), col("timestamp").as("kafka_timestamp"))
  .select("event.*", "json", "topic", "partition", "offset", "kafka_timestamp")

val query = events.writeStream
  .format("zdl-delta")                                   // was: "delta"
  .option("checkpointLocation", checkpoint)
  .trigger(Trigger.AvailableNow())
  .start(table)
query.awaitTermination()

// The audit (project-docs/audit.md); exitCode() is 0 when the table is clean:
// import scala.collection.JavaConverters._
// println(io.zdl.spark.audit.ZdlAudit.run(spark, table,
//   Map("kafka.bootstrap.servers" -> bootstrap, "topic" -> topic).asJava).toText())
