package io.zdl.spark.delta;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.offset.PartitionOffsets;
import io.zdl.spark.kafka.plan.OffsetRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * Before a batch writes: are the table's positions this sink would trust really about the records the
 * batch read? Refuses positions of an earlier topic of the same name, and positions another sink id
 * holds for the same partitions (unless allowed). Pure.
 */
final class SinkPositionsCheck {
  private SinkPositionsCheck() {}

  /**
   * @param currentTopicIds topic to the Kafka topic id the batch's source reads it by (topics not
   *     looked up are absent, and then not checked)
   */
  static void check(TablePositions table, String sinkId, List<OffsetRange> batchRanges,
      Map<String, String> currentTopicIds, boolean allowOtherSinkIds, String tableName) {
    Map<String, String> held = table.topicIds(sinkId);
    Map<TopicPartition, Long> next = table.nextOffsets(sinkId);
    List<TopicPartition> partitions = new ArrayList<>();
    for (OffsetRange r : batchRanges) {
      TopicPartition tp = r.topicPartition();
      partitions.add(tp);
      String was = held.get(tp.topic());
      String now = currentTopicIds.get(tp.topic());
      Long tableNext = next.get(tp);
      // a batch starting at or past the table's position drops nothing: a source that went on from the old
      // position (failOnDataLoss=false) recorded what it skipped; one starting below it would lose the new
      // topic's records to the overlap guard, silently
      if (was != null && now != null && !was.equals(now) && tableNext != null && r.fromOffset() < tableNext) {
        throw new ZdlException(ZdlErrors.SINK_TOPIC_RECREATED, String.format(
            "Table %s holds positions of sink id '%s' for topic %s with topic id %s, but the topic read now has id "
                + "%s: it was deleted and created again, and the table's offsets belong to the old topic. Nothing "
                + "was written. To write the new topic into this table, give the sink a new sinkId (with a new "
                + "checkpoint); see project-docs/data-loss.md.", tableName, sinkId, tp.topic(), was, now));
      }
    }
    if (allowOtherSinkIds) {
      return;
    }
    Map<TopicPartition, List<String>> shared = new TreeMap<>(PartitionOffsets.ORDER);
    for (TopicPartition tp : partitions) {
      List<String> others = table.otherSinksHolding(sinkId, tp, currentTopicIds.get(tp.topic()));
      if (!others.isEmpty()) {
        shared.put(tp, others);
      }
    }
    if (!shared.isEmpty()) {
      Map.Entry<TopicPartition, List<String>> first = shared.entrySet().iterator().next();
      throw new ZdlException(ZdlErrors.SINK_SHARED_PARTITIONS, String.format(
          "Table %s already holds positions of sink id '%s' for topic %s partition %d (partitions shared with other "
              + "sink ids: %s), and this query writes them as sink id '%s': the same records would be in the table "
              + "twice. Nothing was written. To resume that writer, use its sinkId '%s'; to keep a deliberate second "
              + "copy under its own sink id, set the sink option allowOtherSinkIds=true.",
          tableName, first.getValue().get(0), first.getKey().topic(), first.getKey().partition(), shared, sinkId,
          first.getValue().get(0)));
    }
  }
}
