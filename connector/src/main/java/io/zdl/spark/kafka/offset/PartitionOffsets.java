package io.zdl.spark.kafka.offset;

import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/** Helpers for maps of topic-partition to offset, always sorted so JSON and plans are stable. */
public final class PartitionOffsets {
  /** Topic, then partition number: the one order used for JSON, planning and logs. */
  public static final Comparator<TopicPartition> ORDER =
      Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

  private PartitionOffsets() {}

  public static <V> TreeMap<TopicPartition, V> sorted() {
    return new TreeMap<>(ORDER);
  }

  public static <V> Map<TopicPartition, V> sortedCopy(Map<TopicPartition, V> offsets) {
    TreeMap<TopicPartition, V> copy = sorted();
    copy.putAll(offsets);
    return Collections.unmodifiableMap(copy);
  }
}
