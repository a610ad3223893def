package io.zdl.it.chaos;

import io.zdl.spark.delta.TableOffsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The controller's side of the stateful pipeline ({@link ChaosPipelineMain#dedup}): which table it writes
 * and where a new checkpoint starts. Its state lives in its checkpoint, not in the table, so a lost
 * checkpoint goes as guarantees.md ("Stateful queries") and the runbook say: the same query restarted on
 * a new checkpoint against its table must be refused with {@code ZDL_SINK_STATEFUL_OVERLAP} and write
 * nothing (checked here, in the test JVM); the pipeline then goes on into a new table (the next
 * generation), starting where the old table's positions end ({@code startingOffsetsFromTable} on the old
 * table), with empty state. Every committed record must then be in exactly one generation, once.
 */
final class StatefulPipeline {
  private static final long REFUSAL_TIMEOUT_MS = TimeUnit.MINUTES.toMillis(3);

  private final ChaosTarget target;
  private final List<String> tables = new ArrayList<>();
  /** Where a new checkpoint of the current generation starts: the previous generation's table; null: earliest. */
  private String from;
  private int refusals;

  StatefulPipeline(ChaosTarget target) {
    this.target = target;
    tables.add(target.statefulTable(0));
  }

  String table() {
    return tables.get(tables.size() - 1);
  }

  /** Every generation's table, oldest first. */
  List<String> tables() {
    return List.copyOf(tables);
  }

  int refusals() {
    return refusals;
  }

  /** The pipeline JVM's arguments for the stateful query. */
  List<String> args() {
    List<String> a = new ArrayList<>(List.of("statefulTable=" + table(), "statefulCheckpoint=" + target.statefulCheckpoint()));
    if (from != null) {
      a.add("statefulFrom=" + from);
    }
    return a;
  }

  /**
   * After the checkpoints were deleted and new records produced (so a first batch has something to read):
   * if the current table holds positions, the query restarted on it with a new checkpoint must be refused,
   * writing nothing; the next runs then write a new table. A table without positions yet (the query died
   * before its first batch's commit; creating the table is a commit of its own) is simply continued.
   *
   * @param sourceOptions the zdl-kafka options of the pipeline (bootstrap servers, subscribe, ...)
   * @return what happened, for the campaign's log
   */
  String afterCheckpointLoss(SparkSession spark, Map<String, String> sourceOptions) {
    String table = table();
    if (TableOffsets.committed(spark, table, "default").isEmpty()) {
      return "stateful table " + table + " holds no positions yet: a new checkpoint goes on into it";
    }
    int before = ChaosTarget.commits(spark, table);
    String message = refusal(spark, sourceOptions, table);
    if (!message.contains("ZDL_SINK_STATEFUL_OVERLAP")) {
      throw new AssertionError("the stateful query on a new checkpoint failed otherwise than with "
          + "ZDL_SINK_STATEFUL_OVERLAP: " + message);
    }
    int after = ChaosTarget.commits(spark, table);
    if (after != before) {
      throw new AssertionError("the refused stateful query committed to " + table + ": " + before + " -> " + after);
    }
    ChaosTarget.delete(spark, target.statefulCheckpoint()); // the refused attempt's, as the runbook's operator would
    refusals++;
    from = table;
    tables.add(target.statefulTable(tables.size()));
    return "stateful query on a new checkpoint refused with ZDL_SINK_STATEFUL_OVERLAP, nothing written; it goes on "
        + "into " + table() + " from the positions of " + from;
  }

  /** Runs the naive restart (same query, same table, startingOffsetsFromTable) and returns its failure's text. */
  private String refusal(SparkSession spark, Map<String, String> sourceOptions, String table) {
    StreamingQuery q = null;
    try {
      q = ChaosPipelineMain.dedup(spark.readStream().format("zdl-kafka").options(sourceOptions)
              .option("startingOffsetsFromTable", table).load())
          .writeStream().format("zdl-delta").outputMode("append")
          .option("checkpointLocation", target.statefulCheckpoint()).trigger(Trigger.AvailableNow()).start(table);
      if (!q.awaitTermination(REFUSAL_TIMEOUT_MS)) {
        throw new AssertionError("the stateful query on a new checkpoint neither failed nor ended in "
            + REFUSAL_TIMEOUT_MS / 1000 + " s");
      }
      throw new AssertionError("the stateful query on a new checkpoint against " + table
          + " (which holds positions) was not refused");
    } catch (StreamingQueryException e) {
      StringBuilder sb = new StringBuilder();
      for (Throwable t = e; t != null; t = t.getCause()) {
        sb.append(t.getMessage()).append(" | ");
      }
      return sb.toString();
    } catch (Exception e) { // start() declares TimeoutException on some Spark lines
      throw new AssertionError("could not run the stateful query: " + e, e);
    } finally {
      if (q != null && q.isActive()) {
        try {
          q.stop();
        } catch (java.util.concurrent.TimeoutException e) {
          throw new AssertionError("could not stop the stateful query", e);
        }
      }
    }
  }
}
