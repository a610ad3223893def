# Databricks notebook source
# MAGIC %md
# MAGIC # Kafka JSON events into Delta on S3, exactly once, with zdl
# MAGIC
# MAGIC Reads a topic with `zdl-kafka`, parses the JSON values, appends them to a Delta table on S3 with
# MAGIC `zdl-delta`, then audits the table against the topic.
# MAGIC
# MAGIC **Cluster**: a runtime with Spark 3.4 and Scala 2.12 (Databricks Runtime 13.3 LTS). Install the library
# MAGIC `io.zdl:zdl-connector_2.12:0.1.0-SNAPSHOT` on the cluster (Compute > Libraries). `io.zdl` is not on Maven
# MAGIC Central yet: until it is, upload the jar itself (a workspace file or volume), the one
# MAGIC `mvn -B -DskipTests -pl connector,connector-spark4 -am verify -Dzdl.local.repo=/opt/zdl-repo` writes to
# MAGIC `/opt/zdl-repo/io/zdl/zdl-connector_2.12/0.1.0-SNAPSHOT/zdl-connector_2.12-0.1.0-SNAPSHOT.jar`. It carries its
# MAGIC own relocated Kafka client, so it does not clash with the runtime's. On a Spark 4 runtime (Scala 2.13) install
# MAGIC `io.zdl:zdl-connector_2.13:0.1.0-SNAPSHOT` instead; Spark 3.5 runtimes take the `_2.12` jar too.
# MAGIC
# MAGIC **What was run, and how**: open-source Spark 3.4.4 with Delta 2.4.0 and a real Kafka broker on the build
# MAGIC machine: this notebook's Python is syntax-checked and its source format checked (`ScriptsAndNotebooksTest`), and
# MAGIC the same job, as the Java example, streams a topic into a Delta table twice, compared row by row
# MAGIC (`JsonEventsToDeltaIT`). zdl has not been run on Databricks Runtime,
# MAGIC whose Delta is Databricks' own build; try it on a test table first. There `zdl-delta` finds no open-source
# MAGIC Delta internals and commits through Delta's public API (the "public path", logged once at the first batch;
# MAGIC tested on open-source Delta with the internals switched off): positions go into each commit's
# MAGIC `userMetadata`, so keep `delta.logRetentionDuration` above the longest pause of this job (see
# MAGIC `project-docs/compatibility.md`). Databricks sets Delta's session settings (`spark.sql.extensions`,
# MAGIC `spark.sql.catalog.spark_catalog`) itself.
# MAGIC
# MAGIC **S3 and several writers**: with open-source Delta, one S3 table must be written by one driver (see
# MAGIC `project-docs/guarantees.md`, "Storage"). Before writing one table from several clusters, check how your
# MAGIC workspace coordinates S3 commits.

# COMMAND ----------

dbutils.widgets.text("bootstrap", "broker1:9092", "Kafka bootstrap servers")
dbutils.widgets.text("topic", "events", "Topic")
dbutils.widgets.text("table", "s3://my-bucket/tables/events", "Delta table path")
dbutils.widgets.text("checkpoint", "s3://my-bucket/checkpoints/events", "Checkpoint path (one per query)")

bootstrap = dbutils.widgets.get("bootstrap")
topic = dbutils.widgets.get("topic")
table = dbutils.widgets.get("table")
checkpoint = dbutils.widgets.get("checkpoint")

# COMMAND ----------

# MAGIC %md
# MAGIC ## Read the topic
# MAGIC Same options as Spark's `kafka` source. For a secured cluster, take the secrets from a secret scope:
# MAGIC zdl never writes option values to logs, plans, progress reports or the checkpoint.

# COMMAND ----------

from pyspark.sql import functions as F
from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

kafka_security = {
    # "kafka.security.protocol": "SASL_SSL",
    # "kafka.sasl.mechanism": "PLAIN",
    # "kafka.sasl.jaas.config": dbutils.secrets.get("kafka", "jaas-config"),
}

records = (spark.readStream.format("zdl-kafka")              # was: format("kafka")
           .option("kafka.bootstrap.servers", bootstrap)
           .option("subscribe", topic)
           .option("startingOffsets", "earliest")
           .option("maxOffsetsPerTrigger", "100000")
           .options(**kafka_security)
           .load())

# COMMAND ----------

# MAGIC %md
# MAGIC ## Parse the JSON values
# MAGIC Keep `topic`, `partition` and `offset`: they name each row's Kafka record, and `zdl-delta` needs them to drop
# MAGIC rows the table already holds if the query ever restarts from `earliest` without its checkpoint. A value that
# MAGIC is not such JSON is kept (null event fields, its text in `json`) rather than dropped.

# COMMAND ----------

event_schema = StructType([
    StructField("id", LongType()),
    StructField("kind", StringType()),
    StructField("user", StringType()),
    StructField("amount", DoubleType()),
])

events = (records
          .select(F.from_json(F.col("value").cast("string"), event_schema).alias("event"),
                  F.col("value").cast("string").alias("json"),
                  "topic", "partition", "offset", F.col("timestamp").alias("kafka_timestamp"))
          .select("event.*", "json", "topic", "partition", "offset", "kafka_timestamp"))

# COMMAND ----------

# MAGIC %md
# MAGIC ## Write to Delta with zdl-delta
# MAGIC One Delta commit per micro-batch, recording per partition the next Kafka offset the table holds. `availableNow`
# MAGIC reads what is there and stops (a scheduled job); use `processingTime="30 seconds"` for a continuous one.

# COMMAND ----------

query = (events.writeStream.format("zdl-delta")              # was: format("delta")
         .option("checkpointLocation", checkpoint)
         .trigger(availableNow=True)
         .start(table))
query.awaitTermination()

# COMMAND ----------

display(spark.read.format("delta").load(table).groupBy("kind").count())

# COMMAND ----------

# MAGIC %md
# MAGIC Every `zdl-delta` commit carries a versioned summary of the Kafka offsets it added:

# COMMAND ----------

display(spark.sql(f"DESCRIBE HISTORY delta.`{table}`").select("version", "timestamp", "userMetadata"))

# COMMAND ----------

# MAGIC %md
# MAGIC ## Audit the table against the topic
# MAGIC Per partition: the offset ranges the table holds, gaps (recorded losses, transaction markers, unexplained),
# MAGIC duplicates, and records still ahead in Kafka. What each line means: `project-docs/audit.md`.

# COMMAND ----------

report = spark._jvm.io.zdl.spark.audit.ZdlAudit.run(
    spark._jsparkSession, table, {"kafka.bootstrap.servers": bootstrap, "topic": topic, **kafka_security})
print(report.toText())
