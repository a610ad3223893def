package io.zdl.spark.kafka.offset;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/** Test shorthand for offset maps. */
public final class TestOffsets {
  private TestOffsets() {}

  /** {@code map(tp1, 10, tp2, 20)}: topic-partition, offset, topic-partition, offset... */
  public static Map<TopicPartition, Long> map(Object... kv) {
    Map<TopicPartition, Long> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((TopicPartition) kv[i], ((Number) kv[i + 1]).longValue());
    }
    return m;
  }
}
