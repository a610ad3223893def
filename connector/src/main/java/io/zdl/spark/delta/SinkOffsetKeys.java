package io.zdl.spark.delta;

import org.apache.kafka.common.TopicPartition;

/**
 * Names of the Delta {@code txn} entries where a zdl-delta sink records, per topic-partition, the
 * next Kafka offset the table holds: {@code zdl-delta/<sinkId>/<topic>/<partition>}. Kafka topic
 * names cannot contain '/', so the name parses back unambiguously.
 */
public final class SinkOffsetKeys {
  public static final String PREFIX = "zdl-delta/";
  /** Prefix of the entries where a stateful query's sink records its last committed batch id. */
  public static final String BATCH_PREFIX = "zdl-delta-batch/";

  private SinkOffsetKeys() {}

  public static String appId(String sinkId, TopicPartition tp) {
    return PREFIX + sinkId + "/" + tp.topic() + "/" + tp.partition();
  }

  /**
   * The app id whose version is the last batch id that the stateful query {@code queryId} (Spark's
   * query id, kept in its checkpoint) committed through sink {@code sinkId}:
   * {@code zdl-delta-batch/<sinkId>/<queryId>}. Its prefix differs from the offsets' so neither parses as the other.
   */
  public static String batchAppId(String sinkId, String queryId) {
    return BATCH_PREFIX + sinkId + "/" + queryId;
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
