package io.zdl.spark.delta;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.offset.PartitionOffsets;
import io.delta.tables.DeltaTable;
import io.delta.tables.DeltaTableBuilder;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaConcurrentModificationException;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The sink's view of its table: creating it, checking its schema, the Kafka offsets it holds, and
 * one transaction per batch. How positions are kept and committed depends on the table's
 * {@link DeltaCommitPath}: Delta's internals ({@link DeltaInternals}) where this runtime's Delta offers
 * them, its public API elsewhere ({@link DeltaCommitPaths} chooses; the sink option deltaAccess forces).
 */
final class DeltaTableAccess {
  static final String TRANSACTION_RETENTION_PROPERTY = "delta.setTransactionRetentionDuration";
  /** How long the sink waits for a table another writer is creating: 40 x 250 ms. */
  private static final int CREATION_WAIT_ATTEMPTS = 40;
  private static final long CREATION_WAIT_MS = 250;
  private static final String NON_EMPTY_LOCATION = "DELTA_CREATE_TABLE_WITH_NON_EMPTY_LOCATION";
  /** Delta 2.4 takes a _delta_log without a commit for a table, skips the creation, then finds no table. */
  private static final String TABLE_NOT_FOUND = "DELTA_TABLE_NOT_FOUND";
  /** Delta 2.4's word for a location with files and no table. */
  private static final String NOT_A_TABLE = "DELTA_MISSING_DELTA_TABLE";

  private final SparkSession spark;
  private final String path;
  private final DeltaCommitPath commits;

  DeltaTableAccess(SparkSession spark, String path) {
    this(spark, path, DeltaAccess.AUTO);
  }

  DeltaTableAccess(SparkSession spark, String path, DeltaAccess access) {
    DeltaCommitPath chosen;
    try {
      chosen = DeltaCommitPaths.forTable(spark, path, access);
    } catch (RuntimeException e) {
      throw refusal(e, path);
    }
    this.commits = chosen;
    this.spark = spark;
    this.path = path;
  }

  /** Delta's refusal of the table's features as a coded error; any other error as it is. */
  private static RuntimeException refusal(RuntimeException e, String path) {
    ZdlException coded = TableFeatures.fromDeltaRefusal(e, path);
    return coded != null ? coded : e;
  }

  /**
   * The location of catalog table {@code tableName}; creates it (as a Delta table with {@code schema})
   * when the catalog has no such table.
   */
  static String locationOf(SparkSession spark, String tableName, StructType schema, List<String> partitionColumns,
      DeltaAccess access) {
    if (access == DeltaAccess.INTERNAL) {
      DeltaRuntime.requireInternals(tableName); // before creating anything
    } else {
      DeltaRuntime.current().requirePublicApi(tableName);
    }
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
   * What the table holds for every sink id (latest snapshot); refuses a table that expires positions.
   * {@code pathOrTable} is a location, or the name of a catalog table (no '/').
   */
  static TablePositions committedPositions(SparkSession spark, String pathOrTable) {
    boolean catalogTable = !pathOrTable.contains("/") && spark.catalog().tableExists(pathOrTable);
    String path = catalogTable
        ? DeltaTable.forName(spark, pathOrTable).detail().select("location").first().getString(0) : pathOrTable;
    DeltaCommitPath.State state = DeltaCommitPaths.forTable(spark, path, DeltaAccess.AUTO).latest();
    if (state.version() < 0) {
      return TablePositions.of(Collections.<String, Long>emptyMap());
    }
    refuseExpiringPositions(state, pathOrTable);
    return TablePositions.of(state.appVersions());
  }

  /**
   * Delta drops {@code txn} entries older than this property at its next checkpoint; a quiet partition's
   * position would vanish, and a resume from the table or the overlap guard would then read it as never
   * written. No refresh can make that safe (a whole query may be quiet past the retention), so refuse.
   * (On the public path the one table-wide txn entry keeps two writers from committing the same positions.)
   */
  private static void refuseExpiringPositions(DeltaCommitPath.State state, String table) {
    for (Map.Entry<String, String> e : state.properties().entrySet()) {
      if (e.getKey().equalsIgnoreCase(TRANSACTION_RETENTION_PROPERTY)) {
        throw new ZdlException(ZdlErrors.SINK_TRANSACTION_RETENTION, String.format(
            "Table %s sets %s=%s: Delta then forgets the Kafka positions zdl-delta keeps in the table (txn entries) "
                + "of partitions quiet for that long, and records would be written twice or skipped. Nothing was "
                + "written or read. Remove the property: ALTER TABLE delta.`%s` UNSET TBLPROPERTIES ('%s').",
            table, TRANSACTION_RETENTION_PROPERTY, e.getValue(), table, TRANSACTION_RETENTION_PROPERTY));
      }
    }
  }

  /**
   * Creates the table with {@code schema} if there is none; evolves its schema first when it differs
   * and {@code mergeSchema} is set; otherwise refuses a different schema.
   */
  void prepare(StructType schema, List<String> partitionColumns, boolean mergeSchema) {
    try {
      prepareTable(schema, partitionColumns, mergeSchema);
    } catch (RuntimeException e) {
      throw refusal(e, path);
    }
  }

  private void prepareTable(StructType schema, List<String> partitionColumns, boolean mergeSchema) {
    DeltaCommitPath.State state = commits.latest();
    if (state.version() < 0) {
      state = createTable(schema, partitionColumns);
    }
    refuseExpiringPositions(state, path);
    TableFeatures.refuseUnsupported(state.tableFeatures(), path);
    if (DeltaRuntime.current().supported()) {
      DeltaInternals.requireWritable(spark, path); // else Delta's commit checks it, after the batch's files are written
    }
    commits.prepareForWrites(state);
    List<String> tablePartitioning = state.partitionColumns();
    StructType tableSchema = state.schema();
    if (!partitionColumns.isEmpty() && !partitionColumns.equals(tablePartitioning)) {
      throw new ZdlException(ZdlErrors.SINK_SCHEMA_MISMATCH, String.format(
          "Table %s is partitioned by %s, not by %s as the query's partitionBy asks", path, tablePartitioning,
          partitionColumns));
    }
    if (!sameColumns(tableSchema, schema)) {
      if (!mergeSchema) {
        throw new ZdlException(ZdlErrors.SINK_SCHEMA_MISMATCH, String.format(
            "The query writes columns %s but table %s has %s. To add the new columns to the table, set the sink "
                + "option mergeSchema=true.", schema.simpleString(), path, tableSchema.simpleString()));
      }
      // a metadata-only commit through Delta's public writer: the schema change is not part of the data commit,
      // which is harmless (it adds columns, no rows)
      spark.createDataFrame(Collections.<Row>emptyList(), schema).write().format("delta")
          .option("mergeSchema", "true").mode("append").save(path);
    }
  }

  /**
   * Creates the table, or takes the one another writer created meanwhile (its schema is checked after). While another
   * writer is creating it, its location holds a {@code _delta_log} without a commit yet, and Delta refuses to create
   * a table in a location that is neither empty nor a table: wait for that writer's first commit, a bounded time.
   */
  private DeltaCommitPath.State createTable(StructType schema, List<String> partitionColumns) {
    for (int attempt = 1; ; attempt++) {
      try {
        DeltaTableBuilder builder = DeltaTable.createIfNotExists(spark).location(path).addColumns(schema)
            .partitionedBy(partitionColumns.toArray(new String[0]));
        for (Map.Entry<String, String> p : commits.creationProperties().entrySet()) {
          builder = builder.property(p.getKey(), p.getValue());
        }
        builder.execute();
        return commits.latest();
      } catch (DeltaConcurrentModificationException e) {
        DeltaCommitPath.State created = commits.latest(); // another writer created the table first
        if (created.version() < 0) {
          throw e;
        }
        return created;
      } catch (Exception e) { // Delta's AnalysisException is a checked exception, thrown undeclared from Scala
        if (!hasDeltaError(e, NON_EMPTY_LOCATION) && !hasDeltaError(e, TABLE_NOT_FOUND)
            && !hasDeltaError(e, NOT_A_TABLE)) {
          throw DeltaTableAccess.<RuntimeException>unchecked(e);
        }
        DeltaCommitPath.State created = commits.latest();
        if (created.version() >= 0) {
          return created;
        }
        if (attempt >= CREATION_WAIT_ATTEMPTS) {
          throw new ZdlException(ZdlErrors.INVALID_OPTION, String.format("Invalid option path: %s holds files but no "
              + "Delta table, and no other writer created one there within %d s. Nothing was written. Write to an "
              + "empty location or to a Delta table, or move the files away.", path,
              CREATION_WAIT_ATTEMPTS * CREATION_WAIT_MS / 1000), e);
        }
        sleep(CREATION_WAIT_MS);
      }
    }
  }

  /** Rethrows {@code e} as it is: the compiler takes it for an {@code E}. */
  @SuppressWarnings("unchecked")
  private static <E extends Exception> E unchecked(Exception e) throws E {
    throw (E) e;
  }

  /** True if {@code e} or a cause is Delta's error {@code errorClass}, as declared or named in the message. */
  private static boolean hasDeltaError(Throwable e, String errorClass) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains(errorClass)) {
        return true;
      }
      if (t instanceof SparkThrowable) {
        try {
          if (errorClass.equals(((SparkThrowable) t).getErrorClass())) {
            return true;
          }
        } catch (LinkageError noErrorClassOnThisLine) {
          // the message test above is all there is
        }
      }
    }
    return false;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) { // the query is stopping: an interruption Spark recognises as such
      Thread.currentThread().interrupt();
      InterruptedIOException io = new InterruptedIOException("Interrupted while waiting for another writer to "
          + "create the table");
      io.initCause(e);
      throw new UncheckedIOException(io);
    }
  }

  /** Begins a transaction that reads the sink's offsets of {@code partitions} (registering them for conflicts). */
  Transaction begin(String sinkId, Collection<TopicPartition> partitions) {
    return new Transaction(commits.begin(), sinkId, partitions);
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
    private final DeltaCommitPath.Transaction txn;
    private final String sinkId;
    private final Map<TopicPartition, Long> tableNext = PartitionOffsets.sorted();
    private final TablePositions positions;

    private Transaction(DeltaCommitPath.Transaction txn, String sinkId, Collection<TopicPartition> partitions) {
      this.txn = txn;
      this.sinkId = sinkId;
      this.positions = TablePositions.of(txn.state().appVersions());
      for (TopicPartition tp : partitions) {
        long version = txn.appVersion(SinkOffsetKeys.appId(sinkId, tp)); // -1: this sink never wrote tp
        if (version >= 0) {
          tableNext.put(tp, version);
        }
      }
    }

    /** Next offset the table holds per partition asked for; partitions it never held are absent. */
    Map<TopicPartition, Long> tableNext() {
      return tableNext;
    }

    /** What the table holds for every sink id, as this transaction reads it. */
    TablePositions positions() {
      return positions;
    }

    /**
     * Writes {@code rows} and records {@code newNext} in one commit, with the id of each topic whose
     * id the table does not hold yet ({@code topicIds}: topic to current Kafka topic id); returns the
     * table version. The summary is asked for once the rows are written.
     */
    long commit(Dataset<Row> rows, Map<TopicPartition, Long> newNext, Map<String, String> topicIds,
        Supplier<CommitSummary> summaryAfterWrite, Map<String, String> writerOptions) {
      return commit(rows, newNext, topicIds, Collections.<String, Long>emptyMap(), summaryAfterWrite, writerOptions);
    }

    /**
     * The last batch id stateful query {@code queryId} committed through this sink, -1 when none;
     * registers the read for Delta's conflict check.
     */
    long committedBatch(String queryId) {
      return txn.appVersion(SinkOffsetKeys.batchAppId(sinkId, queryId));
    }

    /** As {@link #commit}, recording also that stateful query {@code queryId} committed {@code batchId}. */
    long commitBatch(String queryId, long batchId, Dataset<Row> rows, Map<TopicPartition, Long> newNext,
        Map<String, String> topicIds, Supplier<CommitSummary> summaryAfterWrite, Map<String, String> writerOptions) {
      return commit(rows, newNext, topicIds, Collections.singletonMap(SinkOffsetKeys.batchAppId(sinkId, queryId),
          batchId), summaryAfterWrite, writerOptions);
    }

    private long commit(Dataset<Row> rows, Map<TopicPartition, Long> newNext, Map<String, String> topicIds,
        Map<String, Long> otherAppVersions, Supplier<CommitSummary> summaryAfterWrite,
        Map<String, String> writerOptions) {
      Map<String, Long> appVersions = new LinkedHashMap<>();
      for (Map.Entry<TopicPartition, Long> e : newNext.entrySet()) {
        appVersions.put(SinkOffsetKeys.appId(sinkId, e.getKey()), e.getValue());
      }
      Map<String, String> held = positions.topicIds(sinkId);
      for (Map.Entry<String, String> e : topicIds.entrySet()) {
        if (!e.getValue().equals(held.get(e.getKey()))) {
          appVersions.put(SinkOffsetKeys.topicIdAppId(sinkId, e.getKey(), e.getValue()),
              positions.topicIdSeq(sinkId, e.getKey()) + 1);
        }
      }
      appVersions.putAll(otherAppVersions);
      return txn.commit(rows, appVersions, sinkId, summaryAfterWrite, writerOptions, newNext.keySet());
    }
  }
}
