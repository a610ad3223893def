package io.zdl.spark.kafka.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;

/**
 * The JSON forms of per-partition offsets.
 *
 * <p>Persisted form (checkpoint offset log, initial offsets), version 1:
 * {@code {"version":1,"partitions":{"topic":{"0":42,"1":17}}}}. Version 2 adds, for the positions whose
 * leader epoch is known, the epoch of the log they were taken from:
 * {@code {"version":2,"partitions":{"topic":{"0":42,"1":17}},"leaderEpochs":{"topic":{"0":5}}}}.
 * Offsets without a known epoch are written as version 1, so a release that reads only version 1 can
 * still read them. Only versions in {@link #SUPPORTED_VERSIONS} are read; anything else is refused
 * rather than guessed at.
 *
 * <p>User form (the {@code startingOffsets} / {@code endingOffsets} / by-timestamp options, as in
 * Spark's built-in source): {@code {"topic":{"0":42}}}.
 */
public final class KafkaOffsetJson {
  /** Positions only. */
  public static final int VERSION_POSITIONS = 1;
  /** Positions and, where known, their leader epochs. */
  public static final int VERSION_WITH_EPOCHS = 2;
  public static final String SUPPORTED_VERSIONS = "[1, 2]";
  private static final String EPOCHS = "leaderEpochs";
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private KafkaOffsetJson() {}

  /** Positions and their leader epochs, as the persisted form holds them. */
  public static final class Persisted {
    public final Map<TopicPartition, Long> offsets;
    /** Only the positions whose epoch is known. */
    public final Map<TopicPartition, Long> leaderEpochs;

    Persisted(Map<TopicPartition, Long> offsets, Map<TopicPartition, Long> leaderEpochs) {
      this.offsets = offsets;
      this.leaderEpochs = leaderEpochs;
    }
  }

  /** The persisted form: version 1 when no epoch is given, else version 2. */
  public static String toVersionedJson(Map<TopicPartition, Long> offsets, Map<TopicPartition, Long> leaderEpochs) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("version", leaderEpochs.isEmpty() ? VERSION_POSITIONS : VERSION_WITH_EPOCHS);
    root.set("partitions", partitionsNode(offsets));
    if (!leaderEpochs.isEmpty()) {
      root.set(EPOCHS, partitionsNode(leaderEpochs));
    }
    return root.toString();
  }

  /** Reads the persisted form; {@code source} names where the text came from, for errors. */
  public static Persisted fromVersionedJson(String json, String source) {
    JsonNode root = readTree(json, source);
    JsonNode version = root.get("version");
    if (version == null || !version.isInt()) {
      throw new ZdlException(ZdlErrors.OFFSET_CORRUPT, String.format(
          "zdl-kafka offsets in %s have no integer \"version\" field: %s", source, abbreviate(json)));
    }
    if (version.intValue() != VERSION_POSITIONS && version.intValue() != VERSION_WITH_EPOCHS) {
      throw new ZdlException(ZdlErrors.OFFSET_VERSION_UNSUPPORTED, String.format(
          "Cannot read zdl-kafka offsets of version %d in %s; this zdl release reads versions %s. "
              + "Run the zdl release that wrote them, or a newer one.",
          version.intValue(), source, SUPPORTED_VERSIONS));
    }
    JsonNode partitions = root.get("partitions");
    if (partitions == null || !partitions.isObject()) {
      throw new ZdlException(ZdlErrors.OFFSET_CORRUPT, String.format(
          "zdl-kafka offsets in %s have no \"partitions\" object: %s", source, abbreviate(json)));
    }
    JsonNode epochs = root.get(EPOCHS);
    if (version.intValue() == VERSION_WITH_EPOCHS && (epochs == null || !epochs.isObject())) {
      throw new ZdlException(ZdlErrors.OFFSET_CORRUPT, String.format(
          "zdl-kafka offsets of version 2 in %s have no \"%s\" object: %s", source, EPOCHS, abbreviate(json)));
    }
    try {
      Map<TopicPartition, Long> offsets = readPartitions(partitions, source);
      Map<TopicPartition, Long> leaderEpochs = version.intValue() == VERSION_WITH_EPOCHS
          ? readPartitions(epochs, source + " (" + EPOCHS + ")") : PartitionOffsets.sorted();
      for (Map.Entry<TopicPartition, Long> e : leaderEpochs.entrySet()) {
        if (e.getValue() < 0 || e.getValue() > Integer.MAX_VALUE) {
          throw new IllegalArgumentException(String.format(
              "In %s, the leader epoch of %s is %d, not an epoch", source, e.getKey(), e.getValue()));
        }
      }
      if (!offsets.keySet().containsAll(leaderEpochs.keySet())) {
        throw new IllegalArgumentException(String.format(
            "In %s, %s names partitions that have no offset: %s", source, EPOCHS, leaderEpochs.keySet()));
      }
      return new Persisted(offsets, leaderEpochs);
    } catch (IllegalArgumentException e) {
      throw new ZdlException(ZdlErrors.OFFSET_CORRUPT, e.getMessage());
    }
  }

  public static String toUserJson(Map<TopicPartition, Long> offsets) {
    return partitionsNode(offsets).toString();
  }

  /**
   * Reads the user form {@code {"topic":{"partition":value}}} given in {@code option}.
   *
   * @throws ZdlException naming the option when the text is not of that form
   */
  public static Map<TopicPartition, Long> fromUserJson(String json, String option) {
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw ZdlErrors.invalidOption(option, json, "JSON such as {\"topicA\":{\"0\":23,\"1\":-1}}");
    }
    if (root == null || !root.isObject()) {
      throw ZdlErrors.invalidOption(option, json, "a JSON object such as {\"topicA\":{\"0\":23,\"1\":-1}}");
    }
    try {
      return readPartitions(root, option);
    } catch (IllegalArgumentException e) {
      throw new ZdlException(ZdlErrors.INVALID_OPTION, e.getMessage());
    }
  }

  private static ObjectNode partitionsNode(Map<TopicPartition, Long> offsets) {
    ObjectNode topics = MAPPER.createObjectNode();
    for (Map.Entry<TopicPartition, Long> e : PartitionOffsets.sortedCopy(offsets).entrySet()) {
      ObjectNode perTopic = (ObjectNode) topics.get(e.getKey().topic());
      if (perTopic == null) {
        perTopic = topics.putObject(e.getKey().topic());
      }
      perTopic.put(Integer.toString(e.getKey().partition()), e.getValue());
    }
    return topics;
  }

  private static Map<TopicPartition, Long> readPartitions(JsonNode topics, String source) {
    TreeMap<TopicPartition, Long> result = PartitionOffsets.sorted();
    Iterator<Map.Entry<String, JsonNode>> topicIt = topics.fields();
    while (topicIt.hasNext()) {
      Map.Entry<String, JsonNode> topic = topicIt.next();
      if (!topic.getValue().isObject()) {
        throw new IllegalArgumentException(String.format(
            "In %s, topic '%s' must map to an object of partition to number, not %s",
            source, topic.getKey(), topic.getValue()));
      }
      Iterator<Map.Entry<String, JsonNode>> partIt = topic.getValue().fields();
      while (partIt.hasNext()) {
        Map.Entry<String, JsonNode> part = partIt.next();
        int partition;
        try {
          partition = Integer.parseInt(part.getKey());
        } catch (NumberFormatException e) {
          partition = -1;
        }
        if (partition < 0) {
          throw new IllegalArgumentException(String.format(
              "In %s, partition '%s' of topic '%s' is not a partition number",
              source, part.getKey(), topic.getKey()));
        }
        if (!part.getValue().canConvertToLong() || !part.getValue().isIntegralNumber()) {
          throw new IllegalArgumentException(String.format(
              "In %s, the value for topic '%s' partition %d must be a whole number, not %s",
              source, topic.getKey(), partition, part.getValue()));
        }
        result.put(new TopicPartition(topic.getKey(), partition), part.getValue().longValue());
      }
    }
    return result;
  }

  private static JsonNode readTree(String json, String source) {
    try {
      JsonNode node = MAPPER.readTree(json);
      if (node == null || !node.isObject()) {
        throw new IOException("not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new ZdlException(ZdlErrors.OFFSET_CORRUPT, String.format(
          "zdl-kafka offsets in %s are not valid JSON (%s): %s", source, e.getMessage(), abbreviate(json)), e);
    }
  }

  private static String abbreviate(String s) {
    return s == null ? "null" : s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
