package io.zdl.spark.kafka.read;

import io.zdl.spark.kafka.plan.OffsetRange;
import java.util.Objects;
import org.apache.spark.sql.connector.read.InputPartition;

/** One task's work: an offset range, and the executor that read this Kafka partition last time. */
public final class KafkaInputPartition implements InputPartition {
  private final OffsetRange range;
  private final String preferredLocation; // null: anywhere

  public KafkaInputPartition(OffsetRange range, String preferredLocation) {
    this.range = range;
    this.preferredLocation = preferredLocation;
  }

  public OffsetRange range() {
    return range;
  }

  @Override
  public String[] preferredLocations() {
    return preferredLocation == null ? new String[0] : new String[] {preferredLocation};
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KafkaInputPartition && ((KafkaInputPartition) o).range.equals(range)
        && Objects.equals(((KafkaInputPartition) o).preferredLocation, preferredLocation);
  }

  @Override
  public int hashCode() {
    return Objects.hash(range, preferredLocation);
  }

  @Override
  public String toString() {
    return "KafkaInputPartition[" + range + (preferredLocation == null ? "" : " @" + preferredLocation) + "]";
  }
}
