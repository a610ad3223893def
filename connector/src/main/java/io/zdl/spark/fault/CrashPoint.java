package io.zdl.spark.fault;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Named instants where the crash tests kill the JVM, chosen with the system property
 * {@code zdl.test.crashAt}: {@code <point>:<batchId>} for the sink's points, {@code while-reading:<n>}
 * to die at the n-th Kafka record read in this JVM. Without that property (always, outside tests)
 * a point costs one property lookup per batch or per task, never per record.
 */
public final class CrashPoint {
  public static final String PROPERTY = "zdl.test.crashAt";
  /** The sink has the batch's files written, nothing of it is committed to Delta yet. */
  public static final String BEFORE_DELTA_COMMIT = "before-delta-commit";
  /** The Delta commit is durable; Spark has not written its commit log entry. */
  public static final String AFTER_DELTA_COMMIT = "after-delta-commit";
  /** An executor task is reading records. */
  public static final String WHILE_READING = "while-reading";
  /** The exit code of a JVM halted at a crash point. */
  public static final int EXIT_CODE = 86;

  private static final AtomicLong RECORDS_READ = new AtomicLong();

  private CrashPoint() {}

  public static void reach(String point, long batchId) {
    String target = System.getProperty(PROPERTY);
    if (target != null && target.equals(point + ":" + batchId)) {
      halt(target);
    }
  }

  /** The n of {@code while-reading:n} when armed, else -1. Read once per task. */
  public static long readingCrashAfter() {
    String target = System.getProperty(PROPERTY);
    if (target == null || !target.startsWith(WHILE_READING + ":")) {
      return -1;
    }
    return Long.parseLong(target.substring(WHILE_READING.length() + 1));
  }

  /** Counts one record read; halts when the count reaches {@code crashAfter}. */
  public static void recordRead(long crashAfter) {
    if (RECORDS_READ.incrementAndGet() == crashAfter) {
      halt(WHILE_READING + ":" + crashAfter);
    }
  }

  private static void halt(String target) {
    System.err.println("zdl crash point " + target + " reached: halting the JVM");
    Runtime.getRuntime().halt(EXIT_CODE); // like SIGKILL: no shutdown hooks, no flush
  }
}
