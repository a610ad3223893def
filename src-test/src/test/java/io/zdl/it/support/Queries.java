package io.zdl.it.support;

import io.zdl.test.spark.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/** Small helpers to run streaming queries in tests; every wait is bounded. */
public final class Queries {
  private Queries() {}

  /** The messages of {@code t} and its causes, joined: where zdl's coded message sits in Spark's wrapping. */
  public static String fullMessage(Throwable t) {
    StringBuilder b = new StringBuilder();
    int depth = 0;
    for (Throwable c = t; c != null && depth < 20; c = c.getCause(), depth++) {
      b.append(depth == 0 ? "" : " <- ").append(c.getMessage());
    }
    return b.toString();
  }

  public static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  public static Path newDir(String prefix) {
    try {
      return Files.createDirectories(SparkTestSession.workDir().resolve(unique(prefix)));
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final java.util.Map<String, List<Row>> COLLECTED = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * Runs the stream with Trigger.AvailableNow and returns the rows this run read. Works again on
   * the same checkpoint (the memory sink cannot restart), so it also shows what a restart reads.
   */
  public static List<Row> readAvailableNow(Dataset<Row> stream, Path checkpoint) {
    String run = unique("run");
    StreamingQuery q = start(stream.writeStream()
        .foreachBatch((org.apache.spark.api.java.function.VoidFunction2<Dataset<Row>, Long>) (df, id) ->
            COLLECTED.computeIfAbsent(run, k -> java.util.Collections.synchronizedList(new java.util.ArrayList<>()))
                .addAll(df.collectAsList()))
        .option("checkpointLocation", checkpoint.toString()).trigger(Trigger.AvailableNow()));
    awaitTermination(q, 180);
    List<Row> rows = COLLECTED.remove(run);
    return rows == null ? List.of() : rows;
  }

  /**
   * {@code stream} into zdl-delta at {@code table} under Trigger.AvailableNow, with {@code sinkOptions} given as
   * key, value, key, value...
   */
  public static StreamingQuery availableNowIntoZdlDelta(Dataset<Row> stream, Path table, Path checkpoint,
      String... sinkOptions) {
    return start(stream.writeStream().format("zdl-delta").option("checkpointLocation", checkpoint.toString())
        .trigger(Trigger.AvailableNow()).options(Sources.options(sinkOptions))
        .option("path", table.toString()));
  }

  /** {@code writer.start()} without the checked TimeoutException Spark declares. */
  public static StreamingQuery start(DataStreamWriter<Row> writer) {
    try {
      return writer.start();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("the query did not start", e);
    }
  }

  public static void awaitTermination(StreamingQuery q, int seconds) {
    try {
      if (!q.awaitTermination(TimeUnit.SECONDS.toMillis(seconds))) {
        q.stop();
        throw new AssertionError("query did not finish within " + seconds + " s");
      }
    } catch (Exception e) {
      throw e instanceof RuntimeException re ? re : new IllegalStateException(e);
    }
  }

  /** As {@link #eventually(int, String, BooleanSupplier)}, failing at once with the query's error if it stops. */
  public static void eventually(int seconds, String what, StreamingQuery query, BooleanSupplier condition) {
    eventually(seconds, what, () -> {
      if (query.exception().isDefined()) {
        throw new AssertionError("query failed while waiting for " + what, query.exception().get());
      }
      return condition.getAsBoolean();
    });
  }

  /** Polls {@code condition} every 100 ms for at most {@code seconds}; fails with {@code what} if it never holds. */
  public static void eventually(int seconds, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
    throw new AssertionError("timed out after " + seconds + " s waiting for " + what);
  }
}
