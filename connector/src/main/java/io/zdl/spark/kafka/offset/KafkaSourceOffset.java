package io.zdl.spark.kafka.offset;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.connector.read.streaming.Offset;

/**
 * Where the source stands: for each topic-partition, the next offset to read. Spark writes
 * {@link #json()} to the checkpoint's offset log before a batch runs, so a restart replays exactly
 * the range between two of these.
 */
public final class KafkaSourceOffset extends Offset {
  private final Map<TopicPartition, Long> partitionOffsets;
  private final String json;

  public KafkaSourceOffset(Map<TopicPartition, Long> partitionOffsets) {
    this.partitionOffsets = PartitionOffsets.sortedCopy(partitionOffsets);
    this.json = KafkaOffsetJson.toVersionedJson(this.partitionOffsets);
  }

  public static KafkaSourceOffset fromJson(String json, String source) {
    return new KafkaSourceOffset(KafkaOffsetJson.fromVersionedJson(json, source));
  }

  /** Next offset to read per partition, sorted by topic then partition; unmodifiable. */
  public Map<TopicPartition, Long> partitionOffsets() {
    return partitionOffsets;
  }

  @Override
  public String json() {
    return json;
  }

  // Offset.equals compares json(), which is canonical here (sorted), so equal maps are equal offsets.
}
