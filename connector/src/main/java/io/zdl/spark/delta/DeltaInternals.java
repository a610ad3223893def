package io.zdl.spark.delta;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.fault.CrashPoint;
import io.zdl.spark.line.SparkLine;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.ConcurrentTransactionException;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.delta.DeltaOperations;
import org.apache.spark.sql.delta.DeltaOptions;
import org.apache.spark.sql.delta.OptimisticTransaction;
import org.apache.spark.sql.delta.Snapshot;
import org.apache.spark.sql.delta.actions.Action;
import org.apache.spark.sql.delta.actions.SetTransaction;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.types.StructType;
import scala.Option;
import scala.collection.JavaConverters;

/**
 * The only class that links Delta's internal classes (DeltaLog, OptimisticTransaction,
 * SetTransaction): Delta's public writer options record one txn per commit, and a batch needs one
 * per topic-partition in the same atomic commit as its files. Only members whose signatures are the
 * same in delta-core 2.4 and delta-spark 3.x are called, so one compiled jar serves both; {@link
 * DeltaRuntime} checks they exist before this class is first used.
 */
final class DeltaInternals {
  private DeltaInternals() {}

  /**
   * The table's newest state. A new transaction reads it: its snapshot is brought up to date, and
   * unlike {@code DeltaLog.update}, whose arity changed between Delta 2.4 and 3.x, starting a
   * transaction is called the same way in both. Nothing is committed, so this has no effect on the table.
   */
  static TableState latest(SparkSession spark, String path) {
    return new TableState(DeltaLog.forTable(spark, path).startTransaction().snapshot());
  }

  /** Begins a transaction on the table's newest state. */
  static Transaction begin(SparkSession spark, String path) {
    return new Transaction(DeltaLog.forTable(spark, path).startTransaction(), path);
  }

  /** A read-only view of one snapshot of the table. */
  static final class TableState {
    private final Snapshot snapshot;

    private TableState(Snapshot snapshot) {
      this.snapshot = snapshot;
    }

    /** The table version, -1 when there is no table. */
    long version() {
      return snapshot.version();
    }

    List<String> partitionColumns() {
      return JavaConverters.seqAsJavaList(snapshot.metadata().partitionColumns());
    }

    StructType schema() {
      return snapshot.metadata().schema();
    }

    /** Every {@code txn} entry of the table: app id to version. */
    Map<String, Long> appVersions() {
      return DeltaInternals.appVersions(snapshot);
    }

    /** The table's properties ({@code TBLPROPERTIES}). */
    Map<String, String> properties() {
      return new HashMap<>(JavaConverters.mapAsJavaMap(snapshot.metadata().configuration()));
    }

    /** The names of the table's reader and writer features. */
    Set<String> tableFeatures() {
      return new TreeSet<>(JavaConverters.setAsJavaSet(snapshot.protocol().readerAndWriterFeatureNames()));
    }
  }

  /**
   * Delta's own check that this runtime can write the table's protocol (every writer feature known), made
   * before any file is written: a commit makes it only after the batch's files are written.
   */
  static void requireWritable(SparkSession spark, String path) {
    DeltaLog log = DeltaLog.forTable(spark, path);
    log.protocolWrite(log.startTransaction().snapshot().protocol());
  }

  private static Map<String, Long> appVersions(Snapshot snapshot) {
    Map<String, Long> result = new HashMap<>();
    for (Map.Entry<String, Object> e : JavaConverters.mapAsJavaMap(snapshot.transactions()).entrySet()) {
      result.put(e.getKey(), ((Number) e.getValue()).longValue());
    }
    return result;
  }

  /** One optimistic transaction: reads app versions (registering them for Delta's conflict check), then commits. */
  static final class Transaction {
    private final OptimisticTransaction txn;
    private final String path;

    private Transaction(OptimisticTransaction txn, String path) {
      this.txn = txn;
      this.path = path;
    }

    /** The version recorded for {@code appId}, -1 when there is none; registers the read for Delta's conflict check. */
    long appVersion(String appId) {
      return txn.txnVersion(appId);
    }

    /** The state the transaction reads, without registering any read. */
    TableState state() {
      return new TableState(txn.snapshot());
    }

    /**
     * Writes {@code rows} and commits them with {@code appVersions} as {@code txn} entries and the
     * summary (asked for once the rows are written) as {@code userMetadata}, in one commit; returns the
     * table version.
     *
     * @throws ZdlException {@code ZDL_SINK_CONCURRENT_WRITER} when another transaction changed one of
     *     the app versions this one read
     */
    long commit(Dataset<Row> rows, Map<String, Long> appVersions, String sinkId,
        Supplier<CommitSummary> summaryAfterWrite, Map<String, String> writerOptions,
        Collection<TopicPartition> partitions) {
      DeltaOptions options = new DeltaOptions(SparkLine.scalaMap(writerOptions),
          rows.sparkSession().sessionState().conf());
      List<Action> actions = new ArrayList<>();
      actions.addAll(JavaConverters.seqAsJavaList(txn.writeFiles(rows, Option.apply(options))));
      CommitSummary summary = summaryAfterWrite.get();
      long batchId = summary.batchId();
      Long now = System.currentTimeMillis();
      for (Map.Entry<String, Long> e : appVersions.entrySet()) {
        actions.add(new SetTransaction(e.getKey(), e.getValue(), Option.<Object>apply(now)));
      }
      CrashPoint.reach(CrashPoint.BEFORE_DELTA_COMMIT, batchId);
      try {
        long version = txn.commit(JavaConverters.asScalaBuffer(actions).toList(),
            new DeltaOperations.StreamingUpdate(OutputMode.Append(), sinkId, batchId, Option.apply(summary.toJson())));
        CrashPoint.reach(CrashPoint.AFTER_DELTA_COMMIT, batchId);
        return version;
      } catch (ConcurrentTransactionException e) {
        throw new ZdlException(ZdlErrors.SINK_CONCURRENT_WRITER, String.format(
            "Another writer with sink id '%s' committed Kafka offsets of the same partitions (%s) to table %s while "
                + "this batch was being written; nothing of this batch was committed. Run one query per sink id "
                + "and table; give queries that share a table different sinkId options and different topics.",
            sinkId, partitions, path), e);
      }
    }
  }
}
