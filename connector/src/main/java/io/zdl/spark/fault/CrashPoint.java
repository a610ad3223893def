package io.zdl.spark.fault;

/**
 * Named instants where the crash tests kill the JVM, chosen with the system property
 * {@code zdl.test.crashAt=<point>:<batchId>}. Without that property (always, outside tests) this
 * is one property lookup and nothing else.
 */
public final class CrashPoint {
  public static final String PROPERTY = "zdl.test.crashAt";
  /** The sink has the batch, nothing of it is committed to Delta yet. */
  public static final String BEFORE_DELTA_COMMIT = "before-delta-commit";
  /** The Delta commit is durable; Spark has not written its commit log entry. */
  public static final String AFTER_DELTA_COMMIT = "after-delta-commit";
  /** An executor task is reading records of the batch. */
  public static final String WHILE_READING = "while-reading";

  private CrashPoint() {}

  public static void reach(String point, long batchId) {
    String target = System.getProperty(PROPERTY);
    if (target != null && target.equals(point + ":" + batchId)) {
      System.err.println("zdl crash point " + target + " reached: halting the JVM");
      Runtime.getRuntime().halt(86); // like SIGKILL: no shutdown hooks, no flush
    }
  }

  /** For points where no batch id is known (executor side): {@code <point>:any}. */
  public static void reach(String point) {
    String target = System.getProperty(PROPERTY);
    if (target != null && target.equals(point + ":any")) {
      System.err.println("zdl crash point " + target + " reached: halting the JVM");
      Runtime.getRuntime().halt(86);
    }
  }
}
