package io.zdl.spark.kafka.offset;

import io.zdl.spark.delta.TableOffsets;
import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.config.KafkaSourceOptions;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.SparkSession;

/** Reads a zdl-delta table's offsets for the source; Delta's classes are loaded only here, only when asked. */
final class TableOffsetLookup {
  private TableOffsetLookup() {}

  /** Where a zdl-delta table says a sink's partitions go on, and which Kafka topics those positions belong to. */
  static final class TableStart {
    private final Map<TopicPartition, Long> nextOffsets;
    private final Map<String, String> topicIds;

    private TableStart(Map<TopicPartition, Long> nextOffsets, Map<String, String> topicIds) {
      this.nextOffsets = nextOffsets;
      this.topicIds = topicIds;
    }

    Map<TopicPartition, Long> nextOffsets() {
      return nextOffsets;
    }

    /** Topic to Kafka topic id; topics the table keeps no id for are absent. */
    Map<String, String> topicIds() {
      return topicIds;
    }
  }

  static TableStart committed(String tablePath, String sinkId) {
    try {
      SparkSession spark = SparkSession.active();
      Map<TopicPartition, Long> next = PartitionOffsets.sorted();
      for (Map.Entry<String, Map<Integer, Long>> topic : TableOffsets.committed(spark, tablePath, sinkId).entrySet()) {
        for (Map.Entry<Integer, Long> p : topic.getValue().entrySet()) {
          next.put(new TopicPartition(topic.getKey(), p.getKey()), p.getValue());
        }
      }
      return new TableStart(next, TableOffsets.topicIds(spark, tablePath, sinkId));
    } catch (NoClassDefFoundError e) {
      throw new ZdlException(ZdlErrors.DELTA_UNAVAILABLE, String.format(
          "Option %s needs Delta Lake on the classpath (io.delta:delta-core_2.12), and it is missing: %s",
          KafkaSourceOptions.STARTING_OFFSETS_FROM_TABLE, e.getMessage()), e);
    }
  }
}
