package io.zdl.spark.delta;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.plan.OffsetRange;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Compares a batch's Kafka ranges with what the table already holds and decides what to write. Pure.
 *
 * <p>Per partition, with {@code [from, until)} the batch's range and {@code next} the table's next
 * offset: unknown or {@code next == from} writes all; {@code next >= until} writes nothing (a
 * replay, or a query restarted from an older position); {@code from < next < until} writes only
 * offsets from {@code next}; {@code next < from} would leave a gap and is refused unless allowed.
 * An empty range is planned too: it records the position of a partition the table does not know yet
 * (a quiet one), so that a resume from the table finds it, and it is refused when it starts past the
 * table's end, as a range with records would be.
 */
public final class OverlapGuard {
  private OverlapGuard() {}

  public static WritePlan plan(List<OffsetRange> batchRanges, Map<TopicPartition, Long> tableNext, boolean allowGaps,
      String table) {
    Map<TopicPartition, Long> newNext = new HashMap<>();
    Map<TopicPartition, Long> dropBelow = new HashMap<>();
    List<OffsetRange> added = new ArrayList<>();
    List<OffsetRange> gaps = new ArrayList<>();
    for (OffsetRange r : batchRanges) {
      TopicPartition tp = r.topicPartition();
      Long next = tableNext.get(tp);
      if (r.size() == 0 && next != null && next >= r.fromOffset()) {
        continue; // nothing to write, and the table holds this position or a later one
      }
      if (next == null || next == r.fromOffset()) {
        newNext.put(tp, r.untilOffset());
        addIfNotEmpty(added, r);
      } else if (next >= r.untilOffset()) {
        dropBelow.put(tp, r.untilOffset());
      } else if (next > r.fromOffset()) {
        dropBelow.put(tp, next);
        newNext.put(tp, r.untilOffset());
        added.add(new OffsetRange(tp, next, r.untilOffset()));
      } else {
        if (!allowGaps) {
          throw new ZdlException(ZdlErrors.SINK_OFFSET_GAP, String.format(
              "Table %s holds topic %s partition %d up to offset %d, but this batch starts at %d: offsets [%d, %d) "
                  + "would be missing from the table. Restart the query with the source option "
                  + "startingOffsetsFromTable=%s to continue where the table ends, or set the sink option "
                  + "allowOffsetGaps=true if the gap is intended.",
              table, tp.topic(), tp.partition(), next, r.fromOffset(), next, r.fromOffset(), table));
        }
        gaps.add(new OffsetRange(tp, next, r.fromOffset()));
        newNext.put(tp, r.untilOffset());
        addIfNotEmpty(added, r);
      }
    }
    return new WritePlan(newNext, dropBelow, added, gaps);
  }

  private static void addIfNotEmpty(List<OffsetRange> added, OffsetRange r) {
    if (r.size() > 0) {
      added.add(r);
    }
  }
}
