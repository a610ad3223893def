package io.zdl.spark.delta;

import io.zdl.spark.kafka.offset.PartitionOffsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * What one snapshot of a table holds for every zdl-delta sink id: per topic-partition the next Kafka
 * offset, and per topic the id of the Kafka topic those offsets belong to. Parsed from the snapshot's
 * {@code txn} entries ({@link SinkOffsetKeys}). Pure.
 */
final class TablePositions {
  private final Map<String, Map<TopicPartition, Long>> nextBySink = new TreeMap<>();
  private final Map<String, Map<String, String>> topicIdBySink = new TreeMap<>();
  private final Map<String, Map<String, Long>> topicIdSeqBySink = new TreeMap<>();

  private TablePositions() {}

  /** From a snapshot's app ids and versions; entries of other writers are ignored. */
  static TablePositions of(Map<String, Long> appVersions) {
    TablePositions p = new TablePositions();
    for (Map.Entry<String, Long> e : appVersions.entrySet()) {
      SinkOffsetKeys.Key key = SinkOffsetKeys.Key.parse(e.getKey());
      if (key == null) {
        continue;
      }
      if (key.partition != null) {
        p.nextBySink.computeIfAbsent(key.sinkId, s -> PartitionOffsets.sorted()).put(key.partition, e.getValue());
      } else {
        Map<String, Long> seqs = p.topicIdSeqBySink.computeIfAbsent(key.sinkId, s -> new TreeMap<>());
        Long seq = seqs.get(key.topic);
        if (seq == null || e.getValue() > seq) {
          seqs.put(key.topic, e.getValue());
          p.topicIdBySink.computeIfAbsent(key.sinkId, s -> new TreeMap<>()).put(key.topic, key.topicId);
        }
      }
    }
    return p;
  }

  /** Per topic-partition, the next offset the table holds for {@code sinkId}. */
  Map<TopicPartition, Long> nextOffsets(String sinkId) {
    Map<TopicPartition, Long> next = nextBySink.get(sinkId);
    return next == null ? PartitionOffsets.sorted() : PartitionOffsets.sortedCopy(next);
  }

  /** Topic to the id of the Kafka topic {@code sinkId}'s positions belong to; topics written before ids were kept are absent. */
  Map<String, String> topicIds(String sinkId) {
    Map<String, String> ids = topicIdBySink.get(sinkId);
    return ids == null ? new TreeMap<>() : new TreeMap<>(ids);
  }

  /** The sequence number of {@code sinkId}'s current id for {@code topic}, 0 when none is recorded. */
  long topicIdSeq(String sinkId, String topic) {
    Long seq = topicIdSeqBySink.getOrDefault(sinkId, new HashMap<>()).get(topic);
    return seq == null ? 0 : seq;
  }

  /**
   * The sink ids other than {@code sinkId} that hold a position for {@code tp} of the same topic: a
   * position recorded under another topic id (a topic since deleted and recreated) does not count; one
   * recorded without an id, or when {@code currentTopicId} is unknown (null), does.
   */
  List<String> otherSinksHolding(String sinkId, TopicPartition tp, String currentTopicId) {
    List<String> others = new ArrayList<>();
    for (Map.Entry<String, Map<TopicPartition, Long>> e : nextBySink.entrySet()) {
      if (e.getKey().equals(sinkId) || !e.getValue().containsKey(tp)) {
        continue;
      }
      String theirs = topicIds(e.getKey()).get(tp.topic());
      if (theirs == null || currentTopicId == null || theirs.equals(currentTopicId)) {
        others.add(e.getKey());
      }
    }
    return others;
  }
}
