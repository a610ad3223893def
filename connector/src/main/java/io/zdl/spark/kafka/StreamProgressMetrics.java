package io.zdl.spark.kafka;

import io.zdl.spark.kafka.offset.PartitionOffsets;
import io.zdl.spark.kafka.read.ReadCounters;
import io.zdl.spark.loss.DriverLossRecorder;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * The stream's metrics in each batch's query progress: records and bytes read, records and ranges skipped
 * as lost, group commits given up on; and, as in Spark's Kafka source, offsets behind latest (min, max,
 * average over partitions) with an estimate of the bytes behind.
 */
final class StreamProgressMetrics {
  private final ReadCounters counters;
  private final DriverLossRecorder driverLosses;
  private final GroupOffsetMirror groupMirror;
  private ReadCounters.Snapshot atLastReport = ReadCounters.Snapshot.ZERO;

  StreamProgressMetrics(ReadCounters counters, DriverLossRecorder driverLosses, GroupOffsetMirror groupMirror) {
    this.counters = counters;
    this.driverLosses = driverLosses;
    this.groupMirror = groupMirror;
  }

  /**
   * The metrics since the last report. {@code latest} is the log ends the stream saw last, {@code consumed}
   * the offsets the query has consumed up to; either null leaves out the metrics behind latest.
   */
  Map<String, String> sinceLastReport(Map<TopicPartition, Long> latest, Map<TopicPartition, Long> consumed) {
    ReadCounters.Snapshot now = counters.snapshot();
    ReadCounters.Snapshot batch = now.minus(atLastReport);
    atLastReport = now;
    long[] driverLost = driverLosses.takeCounts();
    Map<String, String> metrics = volume(batch.records, batch.bytes, batch.lostRecords + driverLost[0],
        batch.lostRanges + driverLost[1]);
    if (groupMirror.enabled()) {
      metrics.put("groupCommitsFailed", Long.toString(groupMirror.failedBatches()));
    }
    if (latest != null && consumed != null) {
      putBehindLatest(metrics, latest, consumed, now.records, now.bytes);
    }
    return metrics;
  }

  static Map<String, String> volume(long recordsRead, long bytesRead, long lostRecords, long lostRanges) {
    Map<String, String> metrics = new HashMap<>();
    metrics.put("recordsRead", Long.toString(recordsRead));
    metrics.put("bytesRead", Long.toString(bytesRead));
    metrics.put("lostRecords", Long.toString(lostRecords));
    metrics.put("lostRanges", Long.toString(lostRanges));
    return metrics;
  }

  /**
   * Offsets behind {@code latest} per partition (a partition not consumed yet counts from its start, 0);
   * nothing when {@code latest} is empty. {@code recordsSoFar} and {@code bytesSoFar} (read by this query
   * so far) give the mean record size for the estimate of bytes behind.
   */
  static void putBehindLatest(Map<String, String> metrics, Map<TopicPartition, Long> latest,
      Map<TopicPartition, Long> consumed, long recordsSoFar, long bytesSoFar) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    long sum = 0;
    int n = 0;
    for (Map.Entry<TopicPartition, Long> e : latest.entrySet()) {
      Long at = consumed.get(e.getKey());
      long behind = Math.max(0, e.getValue() - (at == null ? PartitionOffsets.NEW_PARTITION_START : at));
      min = Math.min(min, behind);
      max = Math.max(max, behind);
      sum += behind;
      n++;
    }
    if (n > 0) {
      metrics.put("minOffsetsBehindLatest", Long.toString(min));
      metrics.put("maxOffsetsBehindLatest", Long.toString(max));
      metrics.put("avgOffsetsBehindLatest", Double.toString((double) sum / n));
      if (recordsSoFar > 0) {
        // offsets are not bytes: estimate with the mean record size read so far by this query
        metrics.put("estimatedTotalBytesBehindLatest",
            Long.toString((long) ((double) bytesSoFar / recordsSoFar * sum)));
      }
    }
  }
}
