package io.zdl.spark.delta;

import io.delta.tables.DeltaTable;
import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.fault.CrashPoint;
import io.zdl.spark.line.SparkLine;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The public path: Delta's public writer ({@code txnAppId}, {@code txnVersion}, {@code userMetadata})
 * and history only, for runtimes whose Delta lacks the internals (Databricks). Delta records one
 * {@code txn} per commit, so each commit carries every zdl position of the table in its
 * {@code userMetadata} ({@link PublicPositions}) and one table-wide {@code txn} whose version is the
 * positions' sequence number: two writers that read the same positions cannot both commit (Delta
 * refuses or skips the second, which the writer then finds out by its nonce). The newest zdl commit in
 * the history is the table's positions; if Delta's log retention removed it, the table is refused
 * ({@code ZDL_SINK_POSITIONS_EXPIRED}) rather than read as never written.
 */
final class PublicCommitPath implements DeltaCommitPath {
  /** The table-wide {@code txnAppId} of the public path; its version is the newest positions' sequence number. */
  static final String TXN_APP_ID = "zdl-delta-public";
  private static final int[] HISTORY_WINDOWS = {16, 1024};

  private final SparkSession spark;
  private final String path;

  PublicCommitPath(SparkSession spark, String path) {
    this.spark = spark;
    this.path = path;
  }

  @Override
  public DeltaAccess access() {
    return DeltaAccess.PUBLIC;
  }

  @Override
  public State latest() {
    if (!DeltaTable.isDeltaTable(spark, path)) {
      return new PublicState(-1, Collections.<String>emptyList(), new StructType(),
          Collections.<String, String>emptyMap(), Collections.<String>emptySet(), null);
    }
    DeltaTable table = DeltaTable.forPath(spark, path);
    Dataset<Row> details = table.detail();
    boolean listsFeatures = Arrays.asList(details.columns()).contains("tableFeatures");
    Row detail = details.select("partitionColumns", "properties", listsFeatures ? "tableFeatures" : "properties").first();
    Map<String, String> properties = detail.isNullAt(1)
        ? Collections.<String, String>emptyMap() : new HashMap<>(detail.<String, String>getJavaMap(1));
    Set<String> features = !listsFeatures || detail.isNullAt(2)
        ? Collections.<String>emptySet() : new TreeSet<>(detail.<String>getList(2));
    Lookup lookup = Lookup.newest(table, Long.MIN_VALUE);
    return new PublicState(lookup.tableVersion, detail.<String>getList(0), table.toDF().schema(), properties, features,
        lookup);
  }

  @Override
  public Transaction begin() {
    PublicState state = (PublicState) latest();
    state.appVersions(); // reads, and checks, the positions now
    return new PublicTransaction(state);
  }

  @Override
  public Map<String, String> creationProperties() {
    return Collections.singletonMap(POSITIONS_PROPERTY, POSITIONS_IN_COMMIT_INFO);
  }

  @Override
  public void prepareForWrites(State state) {
    if (state.version() < 0) {
      return;
    }
    state.appVersions(); // refuses a table written through the internals, or whose positions expired
    if (!POSITIONS_IN_COMMIT_INFO.equals(state.properties().get(POSITIONS_PROPERTY))) {
      // the mark tells a later reader that missing positions mean expired ones, not none
      spark.sql(String.format("ALTER TABLE delta.`%s` SET TBLPROPERTIES ('%s' = '%s')", path.replace("`", "``"),
          POSITIONS_PROPERTY, POSITIONS_IN_COMMIT_INFO));
    }
  }

  /** The newest zdl commits of the history, newest first, down to the one a caller looks for. */
  private static final class Lookup {
    long tableVersion = -1;
    long oldestVersion = -1;
    PublicPositions positions; // null when none was found
    long positionsVersion = -1;
    String positionsSinkId;
    boolean internalCommitNewer; // a zdl commit without positions (the internal path) is newer than any found
    boolean wholeHistory;

    /** The newest positions with a sequence number at most {@code maxSeq} (Long.MIN_VALUE: any, the newest). */
    static Lookup newest(DeltaTable table, long maxSeq) {
      Lookup l = new Lookup();
      for (int w = 0; w <= HISTORY_WINDOWS.length; w++) {
        Dataset<Row> h = w < HISTORY_WINDOWS.length ? table.history(HISTORY_WINDOWS[w]) : table.history();
        List<Row> rows = h.select("version", "userMetadata").orderBy(functions.col("version").desc()).collectAsList();
        l.wholeHistory = w == HISTORY_WINDOWS.length || rows.size() < HISTORY_WINDOWS[w];
        l.tableVersion = rows.isEmpty() ? -1 : rows.get(0).getLong(0);
        l.oldestVersion = rows.isEmpty() ? -1 : rows.get(rows.size() - 1).getLong(0);
        l.internalCommitNewer = false;
        for (Row r : rows) {
          String metadata = r.isNullAt(1) ? null : r.getString(1);
          PublicPositions p = PublicPositions.read(metadata);
          if (p != null) {
            if (maxSeq == Long.MIN_VALUE || p.seq() <= maxSeq) {
              l.positions = p;
              l.positionsVersion = r.getLong(0);
              CommitSummary summary = CommitSummary.fromJson(metadata);
              l.positionsSinkId = summary == null ? null : summary.sinkId();
              return l;
            }
          } else if (maxSeq == Long.MIN_VALUE && CommitSummary.fromJson(metadata) != null) {
            l.internalCommitNewer = true;
            return l;
          }
        }
        if (l.wholeHistory) {
          return l;
        }
      }
      return l;
    }

    /** Delta's log retention removed the oldest commits, and with them what they said. */
    boolean trimmed() {
      return wholeHistory && oldestVersion > 0;
    }
  }

  private final class PublicState implements State {
    private final long version;
    private final List<String> partitionColumns;
    private final StructType schema;
    private final Map<String, String> properties;
    private final Set<String> features;
    private final Lookup lookup;

    PublicState(long version, List<String> partitionColumns, StructType schema, Map<String, String> properties,
        Set<String> features, Lookup lookup) {
      this.version = version;
      this.partitionColumns = partitionColumns;
      this.schema = schema;
      this.properties = properties;
      this.features = features;
      this.lookup = lookup;
    }

    @Override
    public Set<String> tableFeatures() {
      return features;
    }

    @Override
    public long version() {
      return version;
    }

    @Override
    public List<String> partitionColumns() {
      return partitionColumns;
    }

    @Override
    public StructType schema() {
      return schema;
    }

    @Override
    public Map<String, String> properties() {
      return properties;
    }

    long seq() {
      return lookup == null || lookup.positions == null ? 0 : lookup.positions.seq();
    }

    @Override
    public Map<String, Long> appVersions() {
      if (lookup == null) {
        return Collections.emptyMap();
      }
      if (lookup.internalCommitNewer) {
        throw new ZdlException(ZdlErrors.DELTA_ACCESS_MISMATCH, String.format(
            "Table %s was written by zdl-delta through Delta's transaction API (deltaAccess=internal): its Kafka "
                + "positions are txn entries, which Delta's public API cannot read, and this sink uses the public path "
                + "(%s). Nothing was written or read. Write this table where Delta's internals are available "
                + "(open-source Delta, deltaAccess=auto or internal), or write a new table or a new sinkId here.",
            path, DeltaCommitPaths.why(DeltaAccess.PUBLIC)));
      }
      if (lookup.positions == null) {
        if (lookup.trimmed() && POSITIONS_IN_COMMIT_INFO.equals(properties.get(POSITIONS_PROPERTY))) {
          throw new ZdlException(ZdlErrors.SINK_POSITIONS_EXPIRED, String.format(
              "Table %s keeps zdl-delta's Kafka positions in its commits' userMetadata (public path), and Delta's log "
                  + "retention removed every commit that held them (the history starts at version %d): the table can "
                  + "no longer say which offsets it holds. Nothing was written or read. Find the positions with the "
                  + "audit or a query on the table's offset columns, restart with explicit startingOffsets and a new "
                  + "sinkId; raise delta.logRetentionDuration above the longest pause of the writers to prevent it. "
                  + "See project-docs/compatibility.md.", path, lookup.oldestVersion));
        }
        return Collections.emptyMap();
      }
      return lookup.positions.appVersions();
    }
  }

  private final class PublicTransaction implements Transaction {
    private final PublicState state;

    PublicTransaction(PublicState state) {
      this.state = state;
    }

    @Override
    public long appVersion(String appId) {
      Long v = state.appVersions().get(appId);
      return v == null ? -1 : v;
    }

    @Override
    public State state() {
      return state;
    }

    @Override
    public long commit(Dataset<Row> rows, Map<String, Long> appVersions, String sinkId,
        Supplier<CommitSummary> summaryAfterWrite, Map<String, String> writerOptions,
        Collection<TopicPartition> partitions) {
      // the summary must be known before Delta's writer commits, and the source finds lost ranges only while its
      // tasks run: compute the rows once, keep them, then write what was kept
      JavaRDD<InternalRow> computed = rows.queryExecution().toRdd().toJavaRDD().map(InternalRow::copy);
      computed.persist(StorageLevel.MEMORY_AND_DISK());
      try {
        computed.count();
        CommitSummary summary = summaryAfterWrite.get();
        Map<String, Long> positions = new TreeMap<>(state.appVersions());
        positions.putAll(appVersions);
        long seq = state.seq() + 1;
        String nonce = UUID.randomUUID().toString();
        String metadata = new PublicPositions(seq, nonce, positions).attachTo(summary.toJson());
        CrashPoint.reach(CrashPoint.BEFORE_DELTA_COMMIT, summary.batchId());
        try {
          SparkLine.dataFrame(spark, computed.rdd(), rows.schema()).write().format("delta")
              .options(writerOptions).option("txnAppId", TXN_APP_ID).option("txnVersion", seq)
              .option("userMetadata", metadata).mode("append").save(path);
        } catch (RuntimeException e) {
          if (!isConflict(e)) {
            throw e;
          }
          throw lostRace(sinkId, partitions, appVersions.keySet(), e);
        }
        // Delta skips a write whose txnVersion it has seen: whether this commit is the one with seq, the nonce says
        Lookup after = Lookup.newest(DeltaTable.forPath(spark, path), seq);
        if (after.positions == null || after.positions.seq() != seq || !nonce.equals(after.positions.nonce())) {
          throw lostRace(sinkId, partitions, appVersions.keySet(), null);
        }
        CrashPoint.reach(CrashPoint.AFTER_DELTA_COMMIT, summary.batchId());
        return after.positionsVersion;
      } finally {
        computed.unpersist(false);
      }
    }

    /**
     * Another writer committed positions first. If it moved none of this batch's positions (another sink id,
     * or the same sink id on other topics, as the internal path allows), the batch is planned again on the new
     * positions; if it moved one of them, it is a concurrent writer of the same partitions.
     */
    private RuntimeException lostRace(String sinkId, Collection<TopicPartition> partitions,
        Collection<String> batchAppIds, Exception cause) {
      Lookup now = Lookup.newest(DeltaTable.forPath(spark, path), Long.MIN_VALUE);
      if (now.positions != null && now.positionsSinkId != null) {
        Map<String, Long> read = state.appVersions();
        Map<String, Long> committed = now.positions.appVersions();
        boolean untouched = true;
        for (String appId : batchAppIds) {
          untouched &= Objects.equals(read.get(appId), committed.get(appId));
        }
        if (untouched || !now.positionsSinkId.equals(sinkId)) {
          return new CommitRaced(now.positionsSinkId);
        }
      }
      return new ZdlException(ZdlErrors.SINK_CONCURRENT_WRITER, String.format(
          "Another writer with sink id '%s' committed Kafka offsets to table %s while this batch (partitions %s) was "
              + "being written; nothing of this batch was committed. Run one query per sink id and table; give "
              + "queries that share a table different sinkId options and different topics.",
          sinkId, path, partitions), cause);
    }
  }

  /** Delta's ConcurrentTransactionException (its package differs between Delta builds, so matched by name). */
  private static boolean isConflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      for (Class<?> c = t.getClass(); c != null; c = c.getSuperclass()) {
        if (c.getSimpleName().equals("ConcurrentTransactionException")
            || c.getSimpleName().equals("DeltaConcurrentModificationException")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The batch lost a race for the table's positions to a writer with another sink id: compute it again. */
  static final class CommitRaced extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommitRaced(String winner) {
      super("the table's zdl positions were committed meanwhile by sink id '" + winner + "'");
    }
  }
}
