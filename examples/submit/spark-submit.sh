#!/usr/bin/env bash
# spark-submit command lines for zdl: the PySpark script, the Java example, and the audit.
# Edit the variables, then run the lines you need. On EMR, the same arguments go into a step
# (see emr-steps.json beside this file).
set -euo pipefail

ZDL_VERSION=0.1.0-SNAPSHOT
SPARK_LINE=3.4   # the cluster's Spark: 3.4, 3.5, 4.0, 4.1 or 4.2
case "$SPARK_LINE" in
  3.4) ZDL="io.zdl:zdl-connector_2.12:${ZDL_VERSION}"; DELTA="io.delta:delta-core_2.12:2.4.0" ;;
  3.5) ZDL="io.zdl:zdl-connector_2.12:${ZDL_VERSION}"; DELTA="io.delta:delta-spark_2.12:3.3.3" ;;
  4.0) ZDL="io.zdl:zdl-connector_2.13:${ZDL_VERSION}"; DELTA="io.delta:delta-spark_2.13:4.0.1" ;;
  4.1) ZDL="io.zdl:zdl-connector_2.13:${ZDL_VERSION}"; DELTA="io.delta:delta-spark_4.1_2.13:4.4.0" ;;
  4.2) ZDL="io.zdl:zdl-connector_2.13:${ZDL_VERSION}"; DELTA="io.delta:delta-spark_4.2_2.13:4.4.0" ;;
  *) echo "unknown SPARK_LINE $SPARK_LINE" >&2; exit 1 ;;
esac
ZDL_JAR="${ZDL#io.zdl:}"; ZDL_JAR="${ZDL_JAR%%:*}-${ZDL_VERSION}.jar"
PACKAGES="${ZDL},${DELTA}"
# io.zdl is not on Maven Central yet: the repository directory made by
#   mvn -B -DskipTests -pl connector,connector-spark4 -am verify -Dzdl.local.repo=/opt/zdl-repo
# (README, "Installing the artifact"); Delta still comes from Maven Central
ZDL_REPO=file:///opt/zdl-repo
DELTA_CONF=(--conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension
            --conf spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog)
BOOTSTRAP=broker1:9092
TOPIC=events
TABLE=s3a://my-bucket/tables/events            # s3:// on EMR (EMRFS)
CHECKPOINT=s3a://my-bucket/checkpoints/events  # one per query, kept as long as the table

# 1. The PySpark script: read what the topic has, write it, stop (a scheduled job).
spark-submit --repositories "$ZDL_REPO" --packages "$PACKAGES" "${DELTA_CONF[@]}" \
  examples/pyspark/json_events_to_delta.py \
  --bootstrap "$BOOTSTRAP" --topic "$TOPIC" --table "$TABLE" --checkpoint "$CHECKPOINT" \
  --trigger availableNow

# 2. The same job in Java, running continuously with a batch every 30 seconds
#    (the examples jar is built by `mvn -B -ntp -DskipTests package`, in examples/target; Scala 2.12, so
#    Spark 3.4 and 3.5 only).
# spark-submit --repositories "$ZDL_REPO" --packages "$PACKAGES" "${DELTA_CONF[@]}" \
#   --class io.zdl.examples.JsonEventsToDelta examples/target/zdl-examples_2.12-${ZDL_VERSION}.jar \
#   --bootstrap "$BOOTSTRAP" --topic "$TOPIC" --table "$TABLE" --checkpoint "$CHECKPOINT" --trigger 30s

# 3. The audit: the table against the topic. Exit code 0 when clean, 2 on an unexplained gap or a duplicate,
#    1 on bad arguments, 3 when the audit could not complete (project-docs/audit.md).
# spark-submit --packages "$DELTA" "${DELTA_CONF[@]}" \
#   --class io.zdl.spark.audit.AuditMain "$ZDL_JAR" \
#   --table "$TABLE" --kafka.bootstrap.servers "$BOOTSTRAP" --topic "$TOPIC"
