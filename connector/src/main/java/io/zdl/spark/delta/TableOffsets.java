package io.zdl.spark.delta;

import io.zdl.spark.api.PublicApi;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.SparkSession;

/**
 * Public entry: the Kafka offsets a zdl-delta table holds. Keyed by plain strings and numbers, so
 * callers never see the connector's relocated Kafka classes.
 */
@PublicApi
public final class TableOffsets {
  private TableOffsets() {}

  /**
   * Topic, then partition, to the next Kafka offset the table at {@code path} holds, for the offsets
   * written by sink {@code sinkId}; empty when there is no table or the sink never wrote to it.
   */
  public static Map<String, Map<Integer, Long>> committed(SparkSession spark, String path, String sinkId) {
    Map<String, Map<Integer, Long>> result = new TreeMap<>();
    for (Map.Entry<TopicPartition, Long> e
        : DeltaTableAccess.committedPositions(spark, path).nextOffsets(sinkId).entrySet()) {
      result.computeIfAbsent(e.getKey().topic(), t -> new TreeMap<>()).put(e.getKey().partition(), e.getValue());
    }
    return result;
  }

  /**
   * Topic name to the Kafka topic id that sink {@code sinkId}'s offsets in the table at {@code path}
   * belong to; topics written by releases that kept no ids are absent.
   */
  public static Map<String, String> topicIds(SparkSession spark, String path, String sinkId) {
    return DeltaTableAccess.committedPositions(spark, path).topicIds(sinkId);
  }
}
