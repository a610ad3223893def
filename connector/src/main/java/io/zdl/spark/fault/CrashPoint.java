package io.zdl.spark.fault;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.TaskContext;

/**
 * Named instants where the fault tests kill the JVM or fail a task, chosen with the system property
 * {@code zdl.test.crashAt}: {@code <point>:<batchId>} for the sink's points, {@code while-reading:<n>}
 * to die at the n-th Kafka record read in this JVM, {@code fail-task-while-reading:<n>} to fail the
 * first attempt of the task reading it (Spark then retries the task). Without that property (always,
 * outside tests) a point costs one property lookup per batch or per task, never per record.
 */
public final class CrashPoint {
  public static final String PROPERTY = "zdl.test.crashAt";
  /** The sink has the batch's files written, nothing of it is committed to Delta yet. */
  public static final String BEFORE_DELTA_COMMIT = "before-delta-commit";
  /** The Delta commit is durable; Spark has not written its commit log entry. */
  public static final String AFTER_DELTA_COMMIT = "after-delta-commit";
  /** An executor task is reading records. */
  public static final String WHILE_READING = "while-reading";
  /** The first attempt of an executor task fails while reading records. */
  public static final String FAIL_TASK_WHILE_READING = "fail-task-while-reading";
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

  /** The n of {@code while-reading:n} or {@code fail-task-while-reading:n} when armed, else -1. Read once per task. */
  public static long readingFaultAfter() {
    String target = System.getProperty(PROPERTY);
    if (target == null) {
      return -1;
    }
    for (String point : new String[] {WHILE_READING, FAIL_TASK_WHILE_READING}) {
      if (target.startsWith(point + ":")) {
        return Long.parseLong(target.substring(point.length() + 1));
      }
    }
    return -1;
  }

  /** Counts one record read; at the n-th, halts the JVM or fails this task's first attempt. */
  public static void recordRead(long faultAfter) {
    if (RECORDS_READ.incrementAndGet() != faultAfter) {
      return;
    }
    String target = System.getProperty(PROPERTY, "");
    if (target.startsWith(FAIL_TASK_WHILE_READING + ":")) {
      TaskContext task = TaskContext.get();
      if (task != null && task.attemptNumber() == 0) {
        throw new IllegalStateException("zdl fault point " + target + ": injected task failure");
      }
      return;
    }
    halt(WHILE_READING + ":" + faultAfter);
  }

  private static void halt(String target) {
    System.err.println("zdl crash point " + target + " reached: halting the JVM");
    Runtime.getRuntime().halt(EXIT_CODE); // like SIGKILL: no shutdown hooks, no flush
  }
}
