package io.zdl.spark.kafka.offset;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Which leader epoch a position carries. An epoch is only ever attached to a position its log was seen
 * to hold under that epoch: a later validation compares the epoch's end in the leader's log with the
 * position, so an epoch older than the log the position was taken from would report a clean leader
 * change as a truncation, and a newer one could hide a truncation that happened in between.
 */
public final class PositionEpochs {
  private PositionEpochs() {}

  /**
   * The epochs of a batch's end positions. A position that did not move keeps its start's epoch (the
   * log it was seen in); one that moved takes the epoch listed with the latest offset it was chosen
   * below, which holds for every offset up to that latest one.
   *
   * @param listedLatest the latest offsets the end was chosen from
   * @param listedEpochs the epochs that came with them (partitions without one are left out)
   */
  public static Map<TopicPartition, Long> ofEnd(KafkaSourceOffset start, Map<TopicPartition, Long> end,
      Map<TopicPartition, Long> listedLatest, Map<TopicPartition, Long> listedEpochs) {
    Map<TopicPartition, Long> epochs = PartitionOffsets.sorted();
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      TopicPartition tp = e.getKey();
      Long from = start.partitionOffsets().get(tp);
      Long latest = listedLatest.get(tp);
      Long listed = listedEpochs.get(tp);
      if (from != null && from.equals(e.getValue())) {
        Long kept = start.leaderEpochs().get(tp);
        if (kept != null) {
          epochs.put(tp, kept);
        }
      } else if (listed != null && latest != null && e.getValue() <= latest) {
        epochs.put(tp, listed);
      }
    }
    return epochs;
  }

  /**
   * The epoch to validate a range's first offset {@code from} against: the start position's own epoch when
   * the range begins there and has one; else (a range split from it, moved up to the log start, or a start
   * without a known epoch) the end's epoch, which holds for every offset up to the end; {@code -1} when
   * neither is known.
   */
  public static long ofRangeStart(TopicPartition tp, long from, KafkaSourceOffset start, KafkaSourceOffset end) {
    Long startOffset = start.partitionOffsets().get(tp);
    Long epoch = startOffset != null && startOffset == from ? start.leaderEpochs().get(tp) : null;
    if (epoch == null) {
      epoch = end.leaderEpochs().get(tp);
    }
    return epoch == null ? -1L : epoch;
  }
}
