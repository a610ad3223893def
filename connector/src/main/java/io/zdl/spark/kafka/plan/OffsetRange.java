package io.zdl.spark.kafka.plan;

import java.io.Serializable;
import java.util.Objects;
import org.apache.kafka.common.TopicPartition;

/** Offsets {@code [fromOffset, untilOffset)} of one topic-partition. */
public final class OffsetRange implements Serializable {
  private final TopicPartition topicPartition;
  private final long fromOffset;
  private final long untilOffset;

  public OffsetRange(TopicPartition topicPartition, long fromOffset, long untilOffset) {
    if (fromOffset < 0 || untilOffset < fromOffset) {
      throw new IllegalArgumentException(
          "Not an offset range: " + topicPartition + " [" + fromOffset + ", " + untilOffset + ")");
    }
    this.topicPartition = topicPartition;
    this.fromOffset = fromOffset;
    this.untilOffset = untilOffset;
  }

  public TopicPartition topicPartition() {
    return topicPartition;
  }

  public long fromOffset() {
    return fromOffset;
  }

  public long untilOffset() {
    return untilOffset;
  }

  public long size() {
    return untilOffset - fromOffset;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof OffsetRange)) {
      return false;
    }
    OffsetRange r = (OffsetRange) o;
    return topicPartition.equals(r.topicPartition) && fromOffset == r.fromOffset && untilOffset == r.untilOffset;
  }

  @Override
  public int hashCode() {
    return Objects.hash(topicPartition, fromOffset, untilOffset);
  }

  @Override
  public String toString() {
    return topicPartition + "[" + fromOffset + "," + untilOffset + ")";
  }
}
