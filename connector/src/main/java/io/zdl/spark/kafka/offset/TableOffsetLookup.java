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

  static Map<TopicPartition, Long> committed(String tablePath, String sinkId) {
    try {
      Map<TopicPartition, Long> result = PartitionOffsets.sorted();
      for (Map.Entry<String, Map<Integer, Long>> topic
          : TableOffsets.committed(SparkSession.active(), tablePath, sinkId).entrySet()) {
        for (Map.Entry<Integer, Long> p : topic.getValue().entrySet()) {
          result.put(new TopicPartition(topic.getKey(), p.getKey()), p.getValue());
        }
      }
      return result;
    } catch (NoClassDefFoundError e) {
      throw new ZdlException(ZdlErrors.DELTA_UNAVAILABLE, String.format(
          "Option %s needs Delta Lake on the classpath (io.delta:delta-core_2.12), and it is missing: %s",
          KafkaSourceOptions.STARTING_OFFSETS_FROM_TABLE, e.getMessage()), e);
    }
  }
}
