package io.zdl.spark.kafka;

import io.zdl.spark.kafka.offset.TopicIdStore;
import io.zdl.spark.loss.OffsetLossDetector;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * The ids of the topics a stream reads, kept in its checkpoint and checked against each lookup: a recreated
 * topic (same name, new id) stops the query, or, with failOnDataLoss=false, is recorded as skipping the new
 * topic's records below the query's position, the way the zdl-delta table's offsets see them.
 */
final class TopicIdGuard {
  private final TopicIdStore store;
  private final OffsetLossDetector lossDetector;
  private final Set<String> recreated = new TreeSet<>(); // skipped this run: not reported again as truncated

  TopicIdGuard(TopicIdStore store, OffsetLossDetector lossDetector) {
    this.store = store;
    this.lossDetector = lossDetector;
  }

  /**
   * Ids a stream starts from (a zdl-delta table's, for startingOffsetsFromTable) that the checkpoint does not
   * know yet: the first batch then detects a topic recreated meanwhile as a restart from the checkpoint would.
   */
  void adoptStartIds(Map<String, String> startIds) {
    Map<String, String> ids = new HashMap<>(startIds);
    ids.keySet().removeAll(store.known().keySet());
    store.remember(ids);
  }

  /** Compares the ids a lookup just listed with the known ones; throws unless failOnDataLoss=false. */
  void check(Map<TopicPartition, Long> start, Map<String, String> listed) {
    if (listed.isEmpty()) {
      return;
    }
    recreated.addAll(lossDetector.checkTopicIds(start, store.known(), listed));
    store.remember(listed);
  }

  /** Topics found recreated in this run, live: their offsets are not taken for truncation again. */
  Set<String> recreated() {
    return recreated;
  }

  Map<String, String> known() {
    return store.known();
  }
}
