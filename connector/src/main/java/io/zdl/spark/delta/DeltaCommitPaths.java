package io.zdl.spark.delta;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses a table's {@link DeltaCommitPath}: the internal one where {@link DeltaRuntime} found every
 * member it calls and the table is not marked as written by the public path, else the public one;
 * the sink option {@code deltaAccess} forces either. Logged once per table and path.
 */
final class DeltaCommitPaths {
  private static final Logger LOG = LoggerFactory.getLogger(DeltaCommitPaths.class);
  private static final Set<String> LOGGED = Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());

  private DeltaCommitPaths() {}

  static DeltaCommitPath forTable(SparkSession spark, String path, DeltaAccess access) {
    DeltaRuntime runtime = DeltaRuntime.current();
    DeltaCommitPath chosen;
    if (access == DeltaAccess.INTERNAL) {
      DeltaRuntime.requireInternals(path);
      chosen = new InternalCommitPath(spark, path);
    } else {
      runtime.requirePublicApi(path);
      if (access == DeltaAccess.AUTO && runtime.supported() && !markedPublic(spark, path)) {
        chosen = new InternalCommitPath(spark, path);
      } else {
        chosen = new PublicCommitPath(spark, path);
      }
    }
    if (LOGGED.add(path + " " + chosen.access())) {
      LOG.info("zdl-delta uses the {} path for table {} ({}; sink option deltaAccess={})", chosen.access(), path,
          why(chosen.access()), access);
    }
    return chosen;
  }

  /** Why a path applies, for logs and messages. */
  static String why(DeltaAccess chosen) {
    DeltaRuntime runtime = DeltaRuntime.current();
    if (chosen == DeltaAccess.INTERNAL) {
      return "one Delta commit per batch with a txn entry per topic-partition, through the transaction API of "
          + runtime.deltaBuild();
    }
    return runtime.supported()
        ? "positions in each commit's userMetadata, through Delta's public API; chosen by deltaAccess=public or by "
            + "the table's property " + DeltaCommitPath.POSITIONS_PROPERTY
        : "positions in each commit's userMetadata, through Delta's public API, because " + runtime.deltaBuild()
            + " lacks " + runtime.missing();
  }

  private static boolean markedPublic(SparkSession spark, String path) {
    Map<String, String> properties = new InternalCommitPath(spark, path).latest().properties();
    return DeltaCommitPath.POSITIONS_IN_COMMIT_INFO.equals(properties.get(DeltaCommitPath.POSITIONS_PROPERTY));
  }
}
