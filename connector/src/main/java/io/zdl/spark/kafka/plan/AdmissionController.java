package io.zdl.spark.kafka.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.connector.read.streaming.CompositeReadLimit;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.ReadMaxRows;
import org.apache.spark.sql.connector.read.streaming.ReadMinRows;

/**
 * Applies Spark's read limits to one micro-batch: {@code maxOffsetsPerTrigger} caps it,
 * {@code minOffsetsPerTrigger} holds it back until enough offsets arrived or
 * {@code maxTriggerDelay} passed since the last batch (or since the stream started).
 */
public final class AdmissionController {
  private long lastTriggerMillis;

  public AdmissionController(long nowMillis) {
    this.lastTriggerMillis = nowMillis;
  }

  /**
   * End offsets for the next batch, or null when the batch should wait for more data.
   *
   * @param ignoreMinimum true under Trigger.AvailableNow, which must not wait
   */
  public Map<TopicPartition, Long> endOffsets(Map<TopicPartition, Long> start, Map<TopicPartition, Long> latest,
      ReadLimit limit, long nowMillis, boolean ignoreMinimum) {
    long maxRows = Long.MAX_VALUE;
    ReadMinRows minRows = null;
    for (ReadLimit l : flatten(limit)) {
      if (l instanceof ReadMaxRows) {
        maxRows = Math.min(maxRows, ((ReadMaxRows) l).maxRows());
      } else if (l instanceof ReadMinRows) {
        minRows = (ReadMinRows) l;
      }
    }
    long backlog = AdmissionPlanner.backlog(start, latest);
    if (minRows != null && !ignoreMinimum && backlog < minRows.minRows()
        && nowMillis - lastTriggerMillis < minRows.maxTriggerDelayMs()) {
      return null;
    }
    if (backlog > 0) {
      lastTriggerMillis = nowMillis;
    }
    return AdmissionPlanner.limit(start, latest, maxRows);
  }

  private static List<ReadLimit> flatten(ReadLimit limit) {
    if (limit instanceof CompositeReadLimit) {
      List<ReadLimit> all = new ArrayList<>();
      for (ReadLimit l : ((CompositeReadLimit) limit).getReadLimits()) {
        all.addAll(flatten(l));
      }
      return all;
    }
    return Arrays.asList(limit);
  }
}
