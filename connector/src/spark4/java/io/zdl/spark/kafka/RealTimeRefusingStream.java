package io.zdl.spark.kafka;

import io.zdl.spark.error.ZdlErrors;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.PartitionOffset;
import org.apache.spark.sql.connector.read.streaming.SupportsRealTimeMode;

/**
 * The micro-batch stream on Spark 4.1 and later: it implements {@code SupportsRealTimeMode} only to refuse it.
 * Spark calls {@link #prepareForRealTimeMode()} when a query under {@code Trigger.RealTime} builds its plan,
 * before any offset is asked for, so the refusal comes before anything is read, logged or written. Real-time
 * mode logs offsets after a batch, which zdl's offsets-before-the-batch guarantee rules out.
 * Created only by {@link LineStreams}, by reflection (Spark 4.0 lacks the interface).
 */
final class RealTimeRefusingStream extends KafkaMicroBatchStream implements SupportsRealTimeMode {
  RealTimeRefusingStream(StreamCollaborators parts) {
    super(parts);
  }

  @Override
  public void prepareForRealTimeMode() {
    throw ZdlErrors.realTimeModeUnsupported();
  }

  /** Real-time mode only; unreachable, since {@link #prepareForRealTimeMode()} refused the query. */
  @Override
  public InputPartition[] planInputPartitions(Offset start) {
    throw ZdlErrors.realTimeModeUnsupported();
  }

  /** Real-time mode only; unreachable, since {@link #prepareForRealTimeMode()} refused the query. */
  @Override
  public Offset mergeOffsets(PartitionOffset[] offsets) {
    throw ZdlErrors.realTimeModeUnsupported();
  }
}
