package io.zdl.spark.delta;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** The internal path: {@link DeltaInternals}, one {@code txn} entry per position, checked by {@link DeltaRuntime}. */
final class InternalCommitPath implements DeltaCommitPath {
  private final SparkSession spark;
  private final String path;

  InternalCommitPath(SparkSession spark, String path) {
    this.spark = spark;
    this.path = path;
  }

  @Override
  public DeltaAccess access() {
    return DeltaAccess.INTERNAL;
  }

  @Override
  public State latest() {
    return new InternalState(DeltaInternals.latest(spark, path));
  }

  @Override
  public Transaction begin() {
    final DeltaInternals.Transaction txn = DeltaInternals.begin(spark, path);
    return new Transaction() {
      @Override
      public long appVersion(String appId) {
        return txn.appVersion(appId);
      }

      @Override
      public State state() {
        return new InternalState(txn.state());
      }

      @Override
      public long commit(Dataset<Row> rows, Map<String, Long> appVersions, String sinkId,
          Supplier<CommitSummary> summaryAfterWrite, Map<String, String> writerOptions,
          Collection<TopicPartition> partitions) {
        return txn.commit(rows, appVersions, sinkId, summaryAfterWrite, writerOptions, partitions);
      }
    };
  }

  @Override
  public Map<String, String> creationProperties() {
    return Collections.emptyMap();
  }

  @Override
  public void prepareForWrites(State state) {
    refuseMarkedTable(state.properties(), path);
  }

  /** A table the public path wrote keeps its positions in commit summaries, which txn entries know nothing of. */
  static void refuseMarkedTable(Map<String, String> properties, String table) {
    if (POSITIONS_IN_COMMIT_INFO.equals(properties.get(POSITIONS_PROPERTY))) {
      throw new ZdlException(ZdlErrors.DELTA_ACCESS_MISMATCH, String.format(
          "Table %s was written by zdl-delta through Delta's public API (table property %s=%s): its Kafka positions "
              + "are in the commits' userMetadata, not in txn entries, so the sink option deltaAccess=internal cannot "
              + "read them. Nothing was written. Use deltaAccess=auto or deltaAccess=public for this table.",
          table, POSITIONS_PROPERTY, POSITIONS_IN_COMMIT_INFO));
    }
  }

  private static final class InternalState implements State {
    private final DeltaInternals.TableState state;

    InternalState(DeltaInternals.TableState state) {
      this.state = state;
    }

    @Override
    public long version() {
      return state.version();
    }

    @Override
    public List<String> partitionColumns() {
      return state.partitionColumns();
    }

    @Override
    public StructType schema() {
      return state.schema();
    }

    @Override
    public Map<String, Long> appVersions() {
      return state.appVersions();
    }

    @Override
    public Map<String, String> properties() {
      return state.properties();
    }

    @Override
    public Set<String> tableFeatures() {
      return state.tableFeatures();
    }
  }
}
