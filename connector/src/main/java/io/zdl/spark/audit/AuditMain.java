package io.zdl.spark.audit;

import io.zdl.spark.api.PublicApi;
import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.io.PrintStream;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Command line of the audit:
 * {@code spark-submit --class io.zdl.spark.audit.AuditMain zdl-connector_2.12-<v>.jar --table <path-or-name>
 * --kafka.bootstrap.servers <hosts> [--kafka.<setting> <value>] [--topic <t>] [--sinkId <id>] [--json]}.
 * Exits 0 when clean, 2 on an unexplained gap or a duplicate, 1 on bad arguments, 3 when the audit
 * could not run (table or Kafka unreachable).
 */
@PublicApi
public final class AuditMain {
  /** Bad arguments: the message names the one at fault. */
  public static final int EXIT_BAD_ARGUMENTS = 1;
  /** The audit could not complete (Kafka unreachable, table unreadable). */
  public static final int EXIT_FAILED = 3;

  private static final String EXTENSIONS = "spark.sql.extensions";
  private static final String DELTA_EXTENSION = "io.delta.sql.DeltaSparkSessionExtension";
  private static final String SESSION_CATALOG = "spark.sql.catalog.spark_catalog";
  private static final String DELTA_CATALOG = "org.apache.spark.sql.delta.catalog.DeltaCatalog";

  private AuditMain() {}

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the audit on the active (or a new) Spark session; prints the report to {@code out}, errors to {@code err}. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    AuditArgs parsed;
    AuditOptions options;
    try {
      parsed = AuditArgs.parse(args);
      options = AuditOptions.parse(parsed.table, parsed.options);
    } catch (ZdlException e) {
      err.println(e.getMessage());
      err.println(usage());
      return EXIT_BAD_ARGUMENTS;
    }
    try {
      AuditReport report = ZdlAudit.run(session(), options);
      out.print(parsed.json ? report.toJson() + "\n" : report.toText());
      out.flush();
      return report.exitCode();
    } catch (ZdlException e) {
      err.println(e.getMessage());
      return ZdlErrors.INVALID_OPTION.equals(e.code()) ? EXIT_BAD_ARGUMENTS : EXIT_FAILED;
    } catch (Exception e) { // also Spark's AnalysisException, checked in Java's eyes
      err.println("The audit could not complete: " + e);
      return EXIT_FAILED;
    }
  }

  /**
   * The active session, or a new one with Delta's extension and catalog added to what spark-submit
   * configured (Delta's API refuses a session without them); other extensions the user set are kept.
   */
  static SparkSession session() {
    if (SparkSession.getActiveSession().isDefined()) {
      return SparkSession.getActiveSession().get();
    }
    if (SparkSession.getDefaultSession().isDefined()) {
      return SparkSession.getDefaultSession().get();
    }
    SparkConf conf = new SparkConf();
    String extensions = conf.get(EXTENSIONS, "");
    SparkSession.Builder builder = SparkSession.builder();
    if (!extensions.contains(DELTA_EXTENSION)) {
      builder.config(EXTENSIONS, extensions.isEmpty() ? DELTA_EXTENSION : extensions + "," + DELTA_EXTENSION);
    }
    if (!conf.contains(SESSION_CATALOG)) {
      builder.config(SESSION_CATALOG, DELTA_CATALOG);
    }
    return builder.getOrCreate();
  }

  /** {@link #run(String[], PrintStream, PrintStream)} with errors on standard error. */
  public static int run(String[] args, PrintStream out) {
    return run(args, out, System.err);
  }

  static String usage() {
    return "Usage: spark-submit --class " + AuditMain.class.getName() + " zdl-connector_2.12-<version>.jar"
        + " --table <path-or-name> --kafka.bootstrap.servers <host:port,...> [--kafka.<consumer setting> <value>]"
        + " [--topic <t1,t2>] [--sinkId <id>] [--gapCheckTimeoutMs <ms>] [--maxListed <n>] [--json]";
  }
}
