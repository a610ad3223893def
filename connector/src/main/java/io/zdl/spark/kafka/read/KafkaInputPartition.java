package io.zdl.spark.kafka.read;

import io.zdl.spark.kafka.plan.OffsetRange;
import java.util.Objects;
import org.apache.spark.sql.connector.read.InputPartition;

/**
 * One task's work: an offset range, the leader epoch of the log its first offset was seen in, and the
 * executor that read this Kafka partition last time.
 */
public final class KafkaInputPartition implements InputPartition {
  /** {@link #fromLeaderEpoch()} when the epoch is not known. */
  public static final long NO_EPOCH = -1L;

  private final OffsetRange range;
  private final long fromLeaderEpoch;
  private final String preferredLocation; // null: anywhere

  public KafkaInputPartition(OffsetRange range, String preferredLocation) {
    this(range, NO_EPOCH, preferredLocation);
  }

  public KafkaInputPartition(OffsetRange range, long fromLeaderEpoch, String preferredLocation) {
    this.range = range;
    this.fromLeaderEpoch = fromLeaderEpoch;
    this.preferredLocation = preferredLocation;
  }

  public OffsetRange range() {
    return range;
  }

  /** The leader epoch under which the log held the range's first offset, or {@link #NO_EPOCH}. */
  public long fromLeaderEpoch() {
    return fromLeaderEpoch;
  }

  @Override
  public String[] preferredLocations() {
    return preferredLocation == null ? new String[0] : new String[] {preferredLocation};
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KafkaInputPartition && ((KafkaInputPartition) o).range.equals(range)
        && ((KafkaInputPartition) o).fromLeaderEpoch == fromLeaderEpoch
        && Objects.equals(((KafkaInputPartition) o).preferredLocation, preferredLocation);
  }

  @Override
  public int hashCode() {
    return Objects.hash(range, fromLeaderEpoch, preferredLocation);
  }

  @Override
  public String toString() {
    return "KafkaInputPartition[" + range + (fromLeaderEpoch == NO_EPOCH ? "" : " epoch " + fromLeaderEpoch)
        + (preferredLocation == null ? "" : " @" + preferredLocation) + "]";
  }
}
