package io.zdl.spark.delta;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.ZdlKafkaSourceStream;
import io.zdl.spark.line.SparkLine;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.execution.SparkPlan;
import scala.collection.JavaConverters;

/**
 * What kind of query the sink writes: it must read zdl-kafka sources only (static tables joined in
 * are fine), so every row's Kafka offsets are known; and it is stateful when its batches run state
 * stores (aggregations, dropDuplicates, stream-stream joins, streaming limits, mapGroupsWithState):
 * then its rows are not one per Kafka record.
 */
final class QueryShape {
  private QueryShape() {}

  /** Refuses, before anything is written, a query plan with no zdl-kafka source or with another streaming source. */
  static void requireOnlyZdlKafkaSources(LogicalPlan queryPlan, String table) {
    List<String> foreign = new ArrayList<>();
    int zdl = countSources(queryPlan, foreign);
    if (zdl == 0) {
      throw new ZdlException(ZdlErrors.SINK_NO_KAFKA_SOURCE,
          "zdl-delta writes the output of zdl-kafka sources (readStream.format(\"zdl-kafka\")), "
              + "and this query's plan reads none; it cannot know which Kafka offsets a batch holds. "
              + "Use format(\"delta\") for other sources.");
    }
    if (!foreign.isEmpty()) {
      throw new ZdlException(ZdlErrors.SINK_FOREIGN_SOURCE, String.format(
          "The query writing %s reads streaming sources other than zdl-kafka (%s), e.g. through a union or a "
              + "join; zdl-delta cannot tell which Kafka offsets their rows belong to, so it cannot write them "
              + "exactly once. Nothing was written. Read every stream with format(\"zdl-kafka\"), or write this "
              + "query with format(\"delta\").", table, foreign));
    }
  }

  private static int countSources(LogicalPlan node, List<String> foreign) {
    if (SparkLine.stream(node) instanceof ZdlKafkaSourceStream) {
      return 1;
    }
    List<LogicalPlan> children = JavaConverters.seqAsJavaList(node.children());
    if (children.isEmpty()) {
      if (node.isStreaming()) {
        foreign.add(node.simpleString(3));
      }
      return 0;
    }
    int n = 0;
    for (LogicalPlan child : children) {
      n += countSources(child, foreign);
    }
    return n;
  }

  /** True when the batch's physical plan writes state stores: its output is not one row per Kafka record. */
  static boolean stateful(SparkPlan executedPlan) {
    if (SparkLine.writesState(executedPlan)) {
      return true;
    }
    for (SparkPlan child : JavaConverters.seqAsJavaList(executedPlan.children())) {
      if (stateful(child)) {
        return true;
      }
    }
    return false;
  }
}
