package io.zdl.spark.kafka.offset;

import java.util.Collections;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.connector.read.streaming.Offset;

/**
 * Where the source stands: for each topic-partition, the next offset to read. Spark writes
 * {@link #json()} to the checkpoint's offset log before a batch runs, so a restart replays exactly
 * the range between two of these.
 *
 * <p>Where known, a position also carries the leader epoch of the log it was taken from (the epoch
 * the partition's leader reported with the latest offset the position was chosen below). An executor
 * that starts reading at the position hands the epoch to its consumer, which asks the leader whether
 * its log still holds the position under that epoch: a log cut back by an unclean leader election and
 * grown past the position again is then found, even after a restart or on another executor.
 */
public final class KafkaSourceOffset extends Offset {
  private final Map<TopicPartition, Long> partitionOffsets;
  private final Map<TopicPartition, Long> leaderEpochs;
  private final String json;

  public KafkaSourceOffset(Map<TopicPartition, Long> partitionOffsets) {
    this(partitionOffsets, Collections.<TopicPartition, Long>emptyMap());
  }

  /** @param leaderEpochs the epochs of the positions that have one known; others are left out */
  public KafkaSourceOffset(Map<TopicPartition, Long> partitionOffsets, Map<TopicPartition, Long> leaderEpochs) {
    this.partitionOffsets = PartitionOffsets.sortedCopy(partitionOffsets);
    Map<TopicPartition, Long> epochs = PartitionOffsets.sorted();
    for (Map.Entry<TopicPartition, Long> e : leaderEpochs.entrySet()) {
      if (this.partitionOffsets.containsKey(e.getKey()) && e.getValue() != null && e.getValue() >= 0) {
        epochs.put(e.getKey(), e.getValue());
      }
    }
    this.leaderEpochs = Collections.unmodifiableMap(epochs);
    this.json = KafkaOffsetJson.toVersionedJson(this.partitionOffsets, this.leaderEpochs);
  }

  public static KafkaSourceOffset fromJson(String json, String source) {
    KafkaOffsetJson.Persisted p = KafkaOffsetJson.fromVersionedJson(json, source);
    return new KafkaSourceOffset(p.offsets, p.leaderEpochs);
  }

  /** Next offset to read per partition, sorted by topic then partition; unmodifiable. */
  public Map<TopicPartition, Long> partitionOffsets() {
    return partitionOffsets;
  }

  /** The leader epoch of each position that has one known, sorted as {@link #partitionOffsets()}; unmodifiable. */
  public Map<TopicPartition, Long> leaderEpochs() {
    return leaderEpochs;
  }

  @Override
  public String json() {
    return json;
  }

  // Offset.equals compares json(), which is canonical here (sorted), so equal maps are equal offsets.
}
