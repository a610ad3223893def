"""JSON events from Kafka into a Delta table, exactly once, with zdl (PySpark).

The same job as the Java example io.zdl.examples.JsonEventsToDelta:

    spark-submit --repositories file:///opt/zdl-repo \
      --packages io.zdl:zdl-connector_2.12:0.1.0-SNAPSHOT,io.delta:delta-core_2.12:2.4.0 \
      --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension \
      --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog \
      examples/pyspark/json_events_to_delta.py \
      --bootstrap broker1:9092 --topic events \
      --table s3a://bucket/tables/events --checkpoint s3a://bucket/checkpoints/events \
      --trigger availableNow [--audit]

--repositories: the directory `mvn -B -DskipTests -pl connector,connector-spark4 -am verify
-Dzdl.local.repo=/opt/zdl-repo` fills (io.zdl is not on Maven Central yet; README, "Installing the artifact").

--packages by Spark line (zdl, then Delta):
    Spark 3.4  io.zdl:zdl-connector_2.12:0.1.0-SNAPSHOT,io.delta:delta-core_2.12:2.4.0
    Spark 3.5  io.zdl:zdl-connector_2.12:0.1.0-SNAPSHOT,io.delta:delta-spark_2.12:3.3.3
    Spark 4.0  io.zdl:zdl-connector_2.13:0.1.0-SNAPSHOT,io.delta:delta-spark_2.13:4.0.1
    Spark 4.1  io.zdl:zdl-connector_2.13:0.1.0-SNAPSHOT,io.delta:delta-spark_4.1_2.13:4.4.0
    Spark 4.2  io.zdl:zdl-connector_2.13:0.1.0-SNAPSHOT,io.delta:delta-spark_4.2_2.13:4.4.0

zdl is a JVM library: PySpark reaches it through format("zdl-kafka") and format("zdl-delta"),
so there is nothing to pip install.
"""

import argparse
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F
from pyspark.sql.types import DoubleType, LongType, StringType, StructField, StructType

# {"id": 1, "kind": "click", "user": "u1", "amount": 2.5}
EVENT = StructType([
    StructField("id", LongType()),
    StructField("kind", StringType()),
    StructField("user", StringType()),
    StructField("amount", DoubleType()),
])


def events(spark, bootstrap, topic):
    """The topic's records as event rows.

    topic, partition and offset stay in the table: they name each row's Kafka record, and
    zdl-delta needs them to drop rows the table already holds if the query ever restarts from
    earliest without its checkpoint. A value that is not such JSON is kept (null event fields,
    its text in `json`), not dropped.
    """
    records = (spark.readStream.format("zdl-kafka")          # was: format("kafka")
               .option("kafka.bootstrap.servers", bootstrap)
               .option("subscribe", topic)
               .option("startingOffsets", "earliest")
               .option("maxOffsetsPerTrigger", "100000")
               .load())
    return (records
            .select(F.from_json(F.col("value").cast("string"), EVENT).alias("event"),
                    F.col("value").cast("string").alias("json"),
                    "topic", "partition", "offset",
                    F.col("timestamp").alias("kafka_timestamp"))
            .select("event.*", "json", "topic", "partition", "offset", "kafka_timestamp"))


def start(df, table, checkpoint, trigger):
    """Appends df to the Delta table at `table`, one Delta commit per micro-batch."""
    writer = (df.writeStream.format("zdl-delta")              # was: format("delta")
              .option("checkpointLocation", checkpoint))
    if trigger == "availableNow":
        writer = writer.trigger(availableNow=True)
    else:
        writer = writer.trigger(processingTime=trigger)
    return writer.start(table)


def audit(spark, table, bootstrap, topic):
    """Reconciles the table against the topic, prints the report and returns its exit code.

    io.zdl.spark.audit.ZdlAudit.run(spark, table, options) returns a report with toText(), toJson()
    and exitCode(): 0 when clean, 2 on an unexplained gap or a duplicate (project-docs/audit.md).
    """
    options = {"kafka.bootstrap.servers": bootstrap, "topic": topic}
    report = spark._jvm.io.zdl.spark.audit.ZdlAudit.run(spark._jsparkSession, table, options)
    print(report.toText())
    return report.exitCode()


def main(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bootstrap", required=True, help="Kafka bootstrap servers, host:port[,host:port]")
    p.add_argument("--topic", required=True)
    p.add_argument("--table", required=True, help="Delta table path: local, hdfs://, s3a:// (s3:// on EMR)")
    p.add_argument("--checkpoint", required=True, help="the query's checkpoint folder; keep it with the table")
    p.add_argument("--trigger", default="10 seconds", help="availableNow, or an interval such as '30 seconds'")
    p.add_argument("--audit", action="store_true", help="after an availableNow run, print the audit report")
    args = p.parse_args(argv)

    spark = SparkSession.builder.appName("zdl-json-events-to-delta").getOrCreate()
    query = start(events(spark, args.bootstrap, args.topic), args.table, args.checkpoint, args.trigger)
    query.awaitTermination()
    if args.audit:
        return audit(spark, args.table, args.bootstrap, args.topic)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
