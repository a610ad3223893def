package io.zdl.spark.delta;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.line.SparkLine;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.streaming.Sink;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * The streaming query a sink instance writes for. A batch's plan shows only the sources that have new
 * data (Spark puts an empty relation in place of the others), while the query's own plan holds every
 * source, and its id (kept in the checkpoint) names the checkpoint's batches.
 */
final class RunningQuery {
  private final StreamingQuery query;
  private final LogicalPlan logicalPlan;

  private RunningQuery(StreamingQuery query, LogicalPlan logicalPlan) {
    this.query = query;
    this.logicalPlan = logicalPlan;
  }

  /** The query of {@code sink}, looked up among the active queries of the session that started it. */
  static RunningQuery of(SparkSession session, Sink sink) {
    for (StreamingQuery q : session.streams().active()) {
      LogicalPlan plan = SparkLine.planIfSinkOf(q, sink);
      if (plan != null) {
        return new RunningQuery(q, plan);
      }
    }
    throw new ZdlException(ZdlErrors.SINK_UNSUPPORTED, String.format(
        "%s is not the sink of a running streaming query of its session; zdl-delta is written by "
            + "writeStream.format(\"zdl-delta\").start() only", sink));
  }

  LogicalPlan logicalPlan() {
    return logicalPlan;
  }

  String id() {
    return query.id().toString();
  }
}
