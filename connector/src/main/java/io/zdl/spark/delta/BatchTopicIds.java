package io.zdl.spark.delta;

import io.zdl.spark.kafka.offset.TopicIdsReporter;
import io.zdl.spark.line.SparkLine;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.collection.JavaConverters;

/** The Kafka topic ids the batch's zdl-kafka sources read their topics by, taken from the batch's plan. */
final class BatchTopicIds {
  private BatchTopicIds() {}

  /** Topic name to topic id; topics a source has not looked up are absent. */
  static Map<String, String> of(Dataset<Row> batch) {
    Map<String, String> ids = new TreeMap<>();
    collect(batch.queryExecution().logical(), ids);
    return ids;
  }

  private static void collect(LogicalPlan node, Map<String, String> ids) {
    Object stream = SparkLine.stream(node);
    if (stream != null) {
      if (stream instanceof TopicIdsReporter) {
        ids.putAll(((TopicIdsReporter) stream).topicIds());
      }
      return;
    }
    for (LogicalPlan child : JavaConverters.seqAsJavaList(node.children())) {
      collect(child, ids);
    }
  }
}
