package io.zdl.spark.kafka.offset;

import java.util.Map;

/**
 * A zdl-kafka stream that tells which Kafka topic ids it read, so that zdl-delta can keep them in its
 * table beside the offsets: a resume from the table can then tell a recreated topic from the one the
 * offsets belong to.
 */
public interface TopicIdsReporter {
  /** Topic name to the Kafka topic id the query reads it by; topics not looked up yet are absent. */
  Map<String, String> topicIds();
}
