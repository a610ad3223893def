package io.zdl.spark.delta;

import org.apache.kafka.common.TopicPartition;

/**
 * Names of the Delta {@code txn} entries a zdl-delta sink keeps in its table:
 * <ul>
 *   <li>{@code zdl-delta/<sinkId>/<topic>/<partition>}: the next Kafka offset the table holds;
 *   <li>{@code zdl-delta/<sinkId>/<topic>/topic-id/<id>}: the Kafka topic id those positions belong
 *       to; its version is a sequence number, the highest being the topic's current id;
 *   <li>{@code zdl-delta-batch/<sinkId>/<queryId>}: the last batch a stateful query committed.
 * </ul>
 * Sink ids, topic names and topic ids cannot contain '/', so every name parses back unambiguously;
 * releases before topic ids ignore the second kind (its last part is no partition number).
 */
public final class SinkOffsetKeys {
  public static final String PREFIX = "zdl-delta/";
  private static final String TOPIC_ID = "topic-id";
  /** Prefix of the entries where a stateful query's sink records its last committed batch id. */
  public static final String BATCH_PREFIX = "zdl-delta-batch/";

  private SinkOffsetKeys() {}

  public static String appId(String sinkId, TopicPartition tp) {
    return PREFIX + sinkId + "/" + tp.topic() + "/" + tp.partition();
  }

  static String topicIdAppId(String sinkId, String topic, String topicId) {
    return PREFIX + sinkId + "/" + topic + "/" + TOPIC_ID + "/" + topicId;
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
    Key key = Key.parse(appId);
    return key != null && key.sinkId.equals(sinkId) ? key.partition : null;
  }

  /** A parsed app id of any zdl-delta sink: a position ({@link #partition}) or a topic id ({@link #topicId}). */
  static final class Key {
    final String sinkId;
    final String topic;
    final TopicPartition partition; // null for a topic id
    final String topicId; // null for a position

    private Key(String sinkId, String topic, TopicPartition partition, String topicId) {
      this.sinkId = sinkId;
      this.topic = topic;
      this.partition = partition;
      this.topicId = topicId;
    }

    /** The key, or null when the app id is no zdl-delta entry. */
    static Key parse(String appId) {
      if (!appId.startsWith(PREFIX)) {
        return null;
      }
      String[] parts = appId.substring(PREFIX.length()).split("/", -1);
      for (String part : parts) {
        if (part.isEmpty()) {
          return null;
        }
      }
      if (parts.length == 4 && parts[2].equals(TOPIC_ID)) {
        return new Key(parts[0], parts[1], null, parts[3]);
      }
      if (parts.length != 3) {
        return null;
      }
      try {
        return new Key(parts[0], parts[1], new TopicPartition(parts[1], Integer.parseInt(parts[2])), null);
      } catch (NumberFormatException e) {
        return null;
      }
    }
  }
}
