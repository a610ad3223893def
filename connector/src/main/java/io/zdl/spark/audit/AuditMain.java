package io.zdl.spark.audit;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.io.PrintStream;
import org.apache.spark.sql.SparkSession;

/**
 * Command line of the audit:
 * {@code spark-submit --class io.zdl.spark.audit.AuditMain zdl-connector_2.12-<v>.jar --table <path-or-name>
 * --kafka.bootstrap.servers <hosts> [--kafka.<setting> <value>] [--topic <t>] [--sinkId <id>] [--json]}.
 * Exits 0 when clean, 2 on an unexplained gap or a duplicate, 1 on bad arguments, 3 when the audit
 * could not run (table or Kafka unreachable).
 */
public final class AuditMain {
  /** Bad arguments: the message names the one at fault. */
  public static final int EXIT_BAD_ARGUMENTS = 1;
  /** The audit could not complete (Kafka unreachable, table unreadable). */
  public static final int EXIT_FAILED = 3;

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
      AuditReport report = ZdlAudit.run(SparkSession.builder().getOrCreate(), options);
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
