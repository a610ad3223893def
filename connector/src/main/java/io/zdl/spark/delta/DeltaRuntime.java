package io.zdl.spark.delta;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.line.SparkLine;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks once per JVM, by reflection only, that the Delta on the classpath offers every internal
 * member {@link DeltaInternals} calls. Open-source delta-core 2.4 and delta-spark 3.x do; a managed
 * runtime's own Delta build may not. Without this check such a runtime would fail mid-batch with a
 * {@code NoSuchMethodError}; with it, the sink refuses before writing anything, naming what is
 * missing. This class must not link any Delta class itself, or the check could not run there.
 */
final class DeltaRuntime {
  /**
   * Internal, for tests: {@code off} makes the check fail as on a runtime whose Delta lacks the
   * members zdl needs, so that the sink takes the public path (or, with deltaAccess=internal, refuses)
   * on open-source Delta.
   */
  static final String INTERNALS_PROPERTY = "zdl.delta.internals";

  private static final Logger LOG = LoggerFactory.getLogger(DeltaRuntime.class);
  private static final String D = "org.apache.spark.sql.delta.";
  private static final String NO_DELTA = "no Delta found";
  private static final String PUBLIC_API = "io.delta.tables.DeltaTable";

  private static volatile DeltaRuntime current;

  private final String deltaBuild;
  private final List<String> missing;

  private DeltaRuntime(String deltaBuild, List<String> missing) {
    this.deltaBuild = deltaBuild;
    this.missing = Collections.unmodifiableList(missing);
  }

  /** The check's result for this JVM, computed and logged on first use. */
  static DeltaRuntime current() {
    DeltaRuntime r = current;
    if (r == null) {
      synchronized (DeltaRuntime.class) {
        if (current == null) {
          current = probe(DeltaRuntime.class.getClassLoader(), System.getProperty(INTERNALS_PROPERTY, "auto"));
          current.log();
        }
        r = current;
      }
    }
    return r;
  }

  /** Fails with {@code ZDL_DELTA_UNAVAILABLE} unless Delta's public API ({@code DeltaTable}) is on the classpath. */
  void requirePublicApi(String table) {
    if (NO_DELTA.equals(deltaBuild)) {
      throw unsupported(table);
    }
  }

  /** Fails with {@code ZDL_DELTA_INTERNALS_UNSUPPORTED} (nothing written) unless the check passed. */
  static void requireInternals(String table) {
    DeltaRuntime r = current();
    if (!r.supported()) {
      throw r.unsupported(table);
    }
  }

  /**
   * Looks up every member zdl calls, in {@code loader}; {@code setting} is the value of
   * {@link #INTERNALS_PROPERTY} ({@code auto} or {@code off}).
   */
  static DeltaRuntime probe(ClassLoader loader, String setting) {
    List<String> missing = new ArrayList<>();
    String build = deltaBuild(loader);
    if ("off".equals(setting)) {
      missing.add("(disabled by -D" + INTERNALS_PROPERTY + "=off)");
      return new DeltaRuntime(build, missing);
    }
    Probe p = new Probe(loader, missing);
    Class<?> log = p.type(D + "DeltaLog");
    Class<?> txn = p.type(D + "OptimisticTransaction");
    Class<?> snapshot = p.type(D + "Snapshot");
    Class<?> metadata = p.type(D + "actions.Metadata");
    Class<?> protocol = p.type(D + "actions.Protocol");
    Class<?> operation = p.type(D + "DeltaOperations$Operation");
    p.method(log, "forTable", log, "org.apache.spark.sql.SparkSession", "java.lang.String");
    p.method(log, "startTransaction", txn);
    p.method(txn, "snapshot", snapshot);
    p.method(txn, "txnVersion", long.class, "java.lang.String");
    p.method(txn, "writeFiles", p.type("scala.collection.Seq"), "org.apache.spark.sql.Dataset", "scala.Option");
    p.method(txn, "commit", long.class, SparkLine.SCALA_SEQ, operation == null ? null : operation.getName());
    p.method(snapshot, "version", long.class);
    p.method(snapshot, "transactions", p.type("scala.collection.immutable.Map"));
    p.method(snapshot, "metadata", metadata);
    p.method(snapshot, "protocol", protocol);
    p.method(protocol, "readerAndWriterFeatureNames", p.type("scala.collection.immutable.Set"));
    p.method(log, "protocolWrite", void.class, protocol == null ? null : protocol.getName());
    p.method(metadata, "partitionColumns", p.type("scala.collection.Seq"));
    p.method(metadata, "schema", p.type("org.apache.spark.sql.types.StructType"));
    p.method(metadata, "configuration", p.type("scala.collection.immutable.Map"));
    p.constructor(D + "actions.SetTransaction", "java.lang.String", "long", "scala.Option");
    p.constructor(D + "DeltaOperations$StreamingUpdate", "org.apache.spark.sql.streaming.OutputMode",
        "java.lang.String", "long", "scala.Option");
    p.constructor(D + "DeltaOptions", "scala.collection.immutable.Map", "org.apache.spark.sql.internal.SQLConf");
    p.type(D + "ConcurrentTransactionException");
    return new DeltaRuntime(build, missing);
  }

  boolean supported() {
    return missing.isEmpty();
  }

  /** What the check could not find, as {@code Class.member(params)}; empty when supported. */
  List<String> missing() {
    return missing;
  }

  /** The Delta build found, e.g. {@code delta-spark 3.3.3}, from its jar's manifest. */
  String deltaBuild() {
    return deltaBuild;
  }

  ZdlException unsupported(String table) {
    if (NO_DELTA.equals(deltaBuild)) {
      return new ZdlException(ZdlErrors.DELTA_UNAVAILABLE, String.format(
          "zdl-delta cannot use table %s: Delta Lake is not on the classpath. Add io.delta:delta-core_2.12 2.4 "
              + "(Spark 3.4), io.delta:delta-spark_2.12 3.x (Spark 3.5), io.delta:delta-spark_2.13 4.0.x (Spark 4.0) "
              + "or io.delta:delta-spark_4.1_2.13 / delta-spark_4.2_2.13 (Spark 4.1, 4.2); see "
              + "project-docs/compatibility.md.", table));
    }
    return new ZdlException(ZdlErrors.DELTA_INTERNALS_UNSUPPORTED, String.format(
        "zdl-delta cannot use table %s with the sink option deltaAccess=internal: that path commits through "
            + "Delta's OptimisticTransaction API, and this runtime's Delta (%s) lacks %s. Nothing was written. Remove "
            + "the option (or set deltaAccess=auto or public): zdl-delta then commits through Delta's public API, "
            + "which this runtime's own Delta build offers; see project-docs/compatibility.md.",
        table, deltaBuild, missing));
  }

  private void log() {
    if (supported()) {
      LOG.info("zdl-delta commits through Delta's transaction API ({}): one Delta commit per batch with a txn entry "
          + "per topic-partition", deltaBuild);
    } else {
      LOG.info("zdl-delta cannot use the transaction API of this runtime's Delta ({}): it lacks {}; the sink commits "
          + "through Delta's public API (the public path, see project-docs/compatibility.md)", deltaBuild, missing);
    }
  }

  /** From the manifest of the jar of open-source Delta's DeltaLog, else of the public DeltaTable (a runtime's own build). */
  private static String deltaBuild(ClassLoader loader) {
    for (String name : new String[] {D + "DeltaLog", PUBLIC_API}) {
      try {
        Package p = Class.forName(name, false, loader).getPackage();
        String title = p == null ? null : p.getImplementationTitle();
        String version = p == null ? null : p.getImplementationVersion();
        String build = (title == null ? "Delta" : title) + " " + (version == null ? "(version unknown)" : version);
        return name.equals(PUBLIC_API) ? build + " (without org.apache.spark.sql.delta)" : build;
      } catch (ClassNotFoundException | LinkageError e) {
        // try the next
      }
    }
    return NO_DELTA;
  }

  /** Lookups that record what is missing instead of failing at the first gap. */
  private static final class Probe {
    private final ClassLoader loader;
    private final List<String> missing;

    Probe(ClassLoader loader, List<String> missing) {
      this.loader = loader;
      this.missing = missing;
    }

    Class<?> type(String name) {
      try {
        return Class.forName(name, false, loader);
      } catch (ClassNotFoundException | LinkageError e) {
        missing.add(name);
        return null;
      }
    }

    void method(Class<?> owner, String name, Class<?> returns, String... params) {
      if (owner == null || returns == null) {
        return; // the missing class is already recorded
      }
      String signature = owner.getName() + "." + name + "(" + String.join(", ", params) + ")";
      Class<?>[] types = types(params);
      if (types == null) {
        missing.add(signature);
        return;
      }
      try {
        Method m = owner.getMethod(name, types);
        if (!returns.isAssignableFrom(m.getReturnType())) {
          missing.add(signature + " returning " + returns.getName());
        }
      } catch (NoSuchMethodException | LinkageError e) {
        missing.add(signature);
      }
    }

    void constructor(String owner, String... params) {
      Class<?> type = type(owner);
      if (type == null) {
        return;
      }
      Class<?>[] types = types(params);
      try {
        if (types == null) {
          throw new NoSuchMethodException();
        }
        type.getConstructor(types);
      } catch (NoSuchMethodException | LinkageError e) {
        missing.add(owner + "(" + String.join(", ", params) + ")");
      }
    }

    private Class<?>[] types(String... names) {
      Class<?>[] types = new Class<?>[names.length];
      for (int i = 0; i < names.length; i++) {
        if (names[i] == null) {
          return null;
        }
        try {
          types[i] = "long".equals(names[i]) ? long.class : Class.forName(names[i], false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
          return null;
        }
      }
      return types;
    }
  }
}
