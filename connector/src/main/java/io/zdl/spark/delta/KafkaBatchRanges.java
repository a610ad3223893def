package io.zdl.spark.delta;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.offset.KafkaSourceOffset;
import io.zdl.spark.kafka.offset.PartitionOffsets;
import io.zdl.spark.kafka.plan.OffsetRange;
import io.zdl.spark.line.SparkLine;
import io.zdl.spark.loss.SkippedRange;
import io.zdl.spark.loss.SkippedRangeReporter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.connector.read.streaming.Offset;
import scala.collection.JavaConverters;

/**
 * The Kafka offset ranges a micro-batch consumed, taken from the batch's own plan: Spark hands the
 * sink a plan whose zdl-kafka relation carries the batch's start and end offsets. So users need
 * not keep the Kafka columns to get exactly-once writes.
 */
final class KafkaBatchRanges {
  private KafkaBatchRanges() {}

  /**
   * The ranges of the batch's zdl-kafka relations. A source without new data in this batch has no
   * relation in the batch's plan (Spark puts an empty one in its place), so it adds no range; which
   * sources the query reads is checked on the query's own plan ({@link QueryShape}).
   */
  static List<OffsetRange> of(Dataset<Row> batch) {
    TreeMap<TopicPartition, OffsetRange> ranges = PartitionOffsets.sorted();
    collect(batch.queryExecution().logical(), ranges);
    return new ArrayList<>(ranges.values());
  }

  private static void collect(LogicalPlan node, Map<TopicPartition, OffsetRange> ranges) {
    if (SparkLine.stream(node) != null) {
      Offset end = SparkLine.endOffset(node);
      Offset begin = SparkLine.startOffset(node);
      if (end instanceof KafkaSourceOffset) {
        Map<TopicPartition, Long> start = begin != null
            ? asKafka(begin).partitionOffsets() : new TreeMap<TopicPartition, Long>(PartitionOffsets.ORDER);
        for (Map.Entry<TopicPartition, Long> e : asKafka(end).partitionOffsets().entrySet()) {
          Long from = start.get(e.getKey());
          long f = from == null ? PartitionOffsets.NEW_PARTITION_START : from;
          OffsetRange range = new OffsetRange(e.getKey(), Math.min(f, e.getValue()), e.getValue());
          if (ranges.put(e.getKey(), range) != null) {
            throw new ZdlException(ZdlErrors.SINK_UNSUPPORTED, String.format(
                "Topic %s partition %d is read twice in one query (a self-union or self-join of zdl-kafka "
                    + "sources); zdl-delta cannot tell which rows came from which read",
                e.getKey().topic(), e.getKey().partition()));
          }
        }
      }
      return;
    }
    for (LogicalPlan child : JavaConverters.seqAsJavaList(node.children())) {
      collect(child, ranges);
    }
  }

  /**
   * The ranges the batch's zdl-kafka sources skipped as lost (failOnDataLoss=false). Ask after the
   * batch's tasks ran: executors find losses while reading.
   */
  static List<SkippedRange> skipped(Dataset<Row> batch, long batchId) {
    List<SkippedRange> out = new ArrayList<>();
    collectSkipped(batch.queryExecution().logical(), batchId, out);
    return out;
  }

  private static void collectSkipped(LogicalPlan node, long batchId, List<SkippedRange> out) {
    Object stream = SparkLine.stream(node);
    if (stream != null) {
      if (stream instanceof SkippedRangeReporter) {
        out.addAll(((SkippedRangeReporter) stream).skippedInBatch(batchId));
      }
      return;
    }
    for (LogicalPlan child : JavaConverters.seqAsJavaList(node.children())) {
      collectSkipped(child, batchId, out);
    }
  }

  private static KafkaSourceOffset asKafka(Offset offset) {
    return offset instanceof KafkaSourceOffset
        ? (KafkaSourceOffset) offset : KafkaSourceOffset.fromJson(offset.json(), "the batch plan");
  }
}
