package io.zdl.spark.delta;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.fault.CrashPoint;
import io.zdl.spark.kafka.offset.PartitionOffsets;
import io.delta.tables.DeltaTable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.ConcurrentTransactionException;
import org.apache.spark.sql.delta.DeltaConcurrentModificationException;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.DeltaOptions;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.SetTransaction;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * The one place that uses Delta's internal classes (DeltaLog, OptimisticTransaction,
 * SetTransaction): Delta's public writer options record one txn per commit, and a batch needs one
 * per topic-partition in the same atomic commit as its files. Everything else in the sink uses
 * plain Spark and Delta's public API. Tested with open-source Delta 2.4.
 */
final class DeltaTableAccess {
  private final SparkSession spark;
  private final String path;

  DeltaTableAccess(SparkSession spark, String path) {
    this.spark = spark;
    this.path = path;
  }

  /**
   * The location of catalog table {@code tableName}; creates it (as a Delta table with {@code schema})
   * when the catalog has no such table.
   */
  static String locationOf(SparkSession spark, String tableName, StructType schema, List<String> partitionColumns) {
    if (!spark.catalog().tableExists(tableName)) {
      try {
        DeltaTable.createIfNotExists(spark).tableName(tableName).addColumns(schema)
            .partitionedBy(partitionColumns.toArray(new String[0])).execute();
      } catch (DeltaConcurrentModificationException e) {
        // created by another writer meanwhile
      }
    }
    return DeltaTable.forName(spark, tableName).detail().select("location").first().getString(0);
  }

  /**
   * Per topic-partition of {@code sinkId}, the next Kafka offset the table holds (latest snapshot).
   * {@code pathOrTable} is a location, or the name of a catalog table (no '/').
   */
  static Map<TopicPartition, Long> committedOffsets(SparkSession spark, String pathOrTable, String sinkId) {
    Map<TopicPartition, Long> result = PartitionOffsets.sorted();
    boolean catalogTable = !pathOrTable.contains("/") && spark.catalog().tableExists(pathOrTable);
    String path = catalogTable
        ? DeltaTable.forName(spark, pathOrTable).detail().select("location").first().getString(0) : pathOrTable;
    Snapshot snapshot = latestSnapshot(spark, path);
    if (snapshot.version() < 0) {
      return result;
    }
    Map<String, Object> txns = JavaConverters.mapAsJavaMap(snapshot.transactions());
    for (Map.Entry<String, Object> e : txns.entrySet()) {
      TopicPartition tp = SinkOffsetKeys.parse(sinkId, e.getKey());
      if (tp != null) {
        result.put(tp, ((Number) e.getValue()).longValue());
      }
    }
    return result;
  }

  /**
   * Creates the table with {@code schema} if there is none; evolves its schema first when it differs
   * and {@code mergeSchema} is set; otherwise refuses a different schema.
   */
  void prepare(StructType schema, List<String> partitionColumns, boolean mergeSchema) {
    Snapshot snapshot = latestSnapshot(spark, path);
    if (snapshot.version() < 0) {
      try {
        DeltaTable.createIfNotExists(spark).location(path).addColumns(schema)
            .partitionedBy(partitionColumns.toArray(new String[0])).execute();
      } catch (DeltaConcurrentModificationException e) {
        // another writer created the table first: fine, as long as it exists now (its schema is checked below)
        if (latestSnapshot(spark, path).version() < 0) {
          throw e;
        }
      }
      snapshot = latestSnapshot(spark, path);
    }
    org.apache.spark.sql.delta.actions.Metadata metadata = snapshot.metadata();
    List<String> tablePartitioning = JavaConverters.seqAsJavaList(metadata.partitionColumns());
    if (!partitionColumns.isEmpty() && !partitionColumns.equals(tablePartitioning)) {
      throw new ZdlException(ZdlErrors.SINK_SCHEMA_MISMATCH, String.format(
          "Table %s is partitioned by %s, not by %s as the query's partitionBy asks", path, tablePartitioning,
          partitionColumns));
    }
    if (!sameColumns(metadata.schema(), schema)) {
      if (!mergeSchema) {
        throw new ZdlException(ZdlErrors.SINK_SCHEMA_MISMATCH, String.format(
            "The query writes columns %s but table %s has %s. To add the new columns to the table, set the sink "
                + "option mergeSchema=true.", schema.simpleString(), path, metadata.schema().simpleString()));
      }
      // a metadata-only commit through Delta's public writer: the schema change is not part of the data commit,
      // which is harmless (it adds columns, no rows)
      spark.createDataFrame(Collections.<Row>emptyList(), schema).write().format("delta")
          .option("mergeSchema", "true").mode("append").save(path);
    }
  }

  /**
   * The table's newest snapshot, version -1 when there is no table. DeltaLog instances are cached per
   * path in the JVM, so ask for an update: another JVM may have created or changed the table.
   */
  private static Snapshot latestSnapshot(SparkSession spark, String path) {
    return DeltaLog.forTable(spark, path).update(false, Option.empty());
  }

  /** Begins a transaction that reads the sink's offsets of {@code partitions} (registering them for conflicts). */
  Transaction begin(String sinkId, Collection<TopicPartition> partitions) {
    return new Transaction(DeltaLog.forTable(spark, path).startTransaction(), sinkId, partitions);
  }

  /** Field names and types, ignoring nullability (Delta may store columns as nullable). */
  static boolean sameColumns(StructType a, StructType b) {
    if (a.fields().length != b.fields().length) {
      return false;
    }
    for (int i = 0; i < a.fields().length; i++) {
      StructField x = a.fields()[i];
      StructField y = b.fields()[i];
      if (!x.name().equals(y.name()) || !x.dataType().catalogString().equals(y.dataType().catalogString())) {
        return false;
      }
    }
    return true;
  }

  final class Transaction {
    private final OptimisticTransaction txn;
    private final String sinkId;
    private final Map<TopicPartition, Long> tableNext = PartitionOffsets.sorted();

    private Transaction(OptimisticTransaction txn, String sinkId, Collection<TopicPartition> partitions) {
      this.txn = txn;
      this.sinkId = sinkId;
      for (TopicPartition tp : partitions) {
        long version = txn.txnVersion(SinkOffsetKeys.appId(sinkId, tp)); // -1: this sink never wrote tp
        if (version >= 0) {
          tableNext.put(tp, version);
        }
      }
    }

    /** Next offset the table holds per partition asked for; partitions it never held are absent. */
    Map<TopicPartition, Long> tableNext() {
      return tableNext;
    }

    /**
     * Writes {@code rows} and records {@code newNext} in one commit; returns the table version. The
     * summary is asked for once the rows are written.
     */
    long commit(Dataset<Row> rows, Map<TopicPartition, Long> newNext, Supplier<CommitSummary> summaryAfterWrite,
        Map<String, String> writerOptions) {
      DeltaOptions options = new DeltaOptions(
          JavaConverters.mapAsScalaMapConverter(writerOptions).asScala().toMap(scala.Predef$.MODULE$.<scala.Tuple2<String, String>>conforms()),
          spark.sessionState().conf());
      List<Action> actions = new ArrayList<>();
      actions.addAll(JavaConverters.seqAsJavaList(txn.writeFiles(rows, Option.apply(options))));
      CommitSummary summary = summaryAfterWrite.get();
      Long now = System.currentTimeMillis();
      for (Map.Entry<TopicPartition, Long> e : newNext.entrySet()) {
        actions.add(new SetTransaction(SinkOffsetKeys.appId(sinkId, e.getKey()), e.getValue(), Option.<Object>apply(now)));
      }
      CrashPoint.reach(CrashPoint.BEFORE_DELTA_COMMIT, summary.batchId());
      try {
        long version = txn.commit(JavaConverters.asScalaBuffer(actions).toList(),
            new DeltaOperations.StreamingUpdate(OutputMode.Append(), sinkId, summary.batchId(),
                Option.apply(summary.toJson())));
        CrashPoint.reach(CrashPoint.AFTER_DELTA_COMMIT, summary.batchId());
        return version;
      } catch (ConcurrentTransactionException e) {
        throw new ZdlException(ZdlErrors.SINK_CONCURRENT_WRITER, String.format(
            "Another writer with sink id '%s' committed Kafka offsets of the same partitions (%s) to table %s while "
                + "this batch was being written; nothing of this batch was committed. Run one query per sink id "
                + "and table; give queries that share a table different sinkId options and different topics.",
            sinkId, newNext.keySet(), path), e);
      }
    }
  }
}
