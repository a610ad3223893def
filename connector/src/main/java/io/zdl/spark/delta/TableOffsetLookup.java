package io.zdl.spark.delta;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.config.KafkaSourceOptions;
import io.zdl.spark.kafka.offset.PartitionOffsets;
import io.zdl.spark.kafka.offset.TableStartLookup;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.SparkSession;

/**
 * Reads a zdl-delta table's offsets for the source (option {@code startingOffsetsFromTable}); Delta's
 * classes are loaded only here, only when asked. The source finds this class through
 * {@code META-INF/services/io.zdl.spark.kafka.offset.TableStartLookup}.
 */
public final class TableOffsetLookup implements TableStartLookup {
  @Override
  public TableStart committed(String tablePath, String sinkId) {
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
