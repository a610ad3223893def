package io.zdl.spark.audit;

import java.io.Serializable;

/** A Kafka topic-partition in plain types, ordered by topic then partition number. */
final class PartitionKey implements Comparable<PartitionKey>, Serializable {
  final String topic;
  final int partition;

  PartitionKey(String topic, int partition) {
    this.topic = topic;
    this.partition = partition;
  }

  @Override
  public int compareTo(PartitionKey o) {
    int c = topic.compareTo(o.topic);
    return c != 0 ? c : Integer.compare(partition, o.partition);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PartitionKey && ((PartitionKey) o).topic.equals(topic) && ((PartitionKey) o).partition == partition;
  }

  @Override
  public int hashCode() {
    return topic.hashCode() * 31 + partition;
  }

  @Override
  public String toString() {
    return topic + "-" + partition;
  }
}
