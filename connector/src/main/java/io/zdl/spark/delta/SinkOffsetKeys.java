package io.zdl.spark.delta;

import org.apache.kafka.common.TopicPartition;

/**
 * Names of the Delta {@code txn} entries where a zdl-delta sink records, per topic-partition, the
 * next Kafka offset the table holds: {@code zdl-delta/<sinkId>/<topic>/<partition>}. Kafka topic
 * names cannot contain '/', so the name parses back unambiguously.
 */
public final class SinkOffsetKeys {
  public static final String PREFIX = "zdl-delta/";

  private SinkOffsetKeys() {}

  public static String appId(String sinkId, TopicPartition tp) {
    return PREFIX + sinkId + "/" + tp.topic() + "/" + tp.partition();
  }

  /** The topic-partition of an app id of this sink, or null when the app id is another's. */
  public static TopicPartition parse(String sinkId, String appId) {
    String prefix = PREFIX + sinkId + "/";
    if (!appId.startsWith(prefix)) {
      return null;
    }
    String rest = appId.substring(prefix.length());
    int slash = rest.lastIndexOf('/');
    if (slash <= 0) {
      return null;
    }
    try {
      return new TopicPartition(rest.substring(0, slash), Integer.parseInt(rest.substring(slash + 1)));
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
