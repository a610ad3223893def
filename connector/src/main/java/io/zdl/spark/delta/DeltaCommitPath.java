package io.zdl.spark.delta;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * How {@link DeltaTableAccess} reads a table's state and commits a batch: through Delta's internals
 * ({@link InternalCommitPath}: one {@code txn} entry per position) or through its public API only
 * ({@link PublicCommitPath}: every position in the commit's {@code userMetadata}). Both present the
 * positions as the same app id to version map ({@link SinkOffsetKeys}), so everything above this seam
 * (overlap guard, checks, stateful commits, resume from the table) is the same on both.
 */
interface DeltaCommitPath {
  /** Table property that marks a table whose positions live in commit summaries (the public path). */
  String POSITIONS_PROPERTY = "zdl.delta.positions";
  String POSITIONS_IN_COMMIT_INFO = "userMetadata";

  /** {@link DeltaAccess#INTERNAL} or {@link DeltaAccess#PUBLIC}. */
  DeltaAccess access();

  /** The table's newest state. */
  State latest();

  /** Begins a transaction on the table's newest state. */
  Transaction begin();

  /** Properties a table created for this path gets. */
  Map<String, String> creationProperties();

  /** Before the first write of a batch: refuses a table this path cannot read positions of, marks it if needed. */
  void prepareForWrites(State state);

  /** A read-only view of the table. */
  interface State {
    /** The table version, -1 when there is no table. */
    long version();

    List<String> partitionColumns();

    StructType schema();

    /** Every zdl position the table holds: app id to version, as {@link SinkOffsetKeys} names them. */
    Map<String, Long> appVersions();

    /** The table's properties ({@code TBLPROPERTIES}). */
    Map<String, String> properties();

    /** The names of the table's reader and writer features (empty for a table on legacy protocol versions). */
    Set<String> tableFeatures();
  }

  /** One transaction: reads positions, then commits the batch's rows and new positions at once. */
  interface Transaction {
    /** The version recorded for {@code appId}, -1 when there is none; registers the read for conflict checks. */
    long appVersion(String appId);

    State state();

    /**
     * Writes {@code rows} and commits them with {@code appVersions} (the positions that change) and the
     * summary (asked for once the rows are computed) in one commit; returns the table version.
     */
    long commit(Dataset<Row> rows, Map<String, Long> appVersions, String sinkId,
        Supplier<CommitSummary> summaryAfterWrite, Map<String, String> writerOptions,
        Collection<TopicPartition> partitions);
  }
}
