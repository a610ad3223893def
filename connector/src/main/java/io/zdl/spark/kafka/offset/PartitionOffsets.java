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

  /**
   * Where a partition found after the query started is read from: its beginning, as in Spark's source.
   * Planning needs no lookup for it; if Kafka no longer has that offset, that is reported as loss.
   */
  public static final long NEW_PARTITION_START = 0L;

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
