package io.zdl.spark.kafka.config;

import static io.zdl.spark.kafka.config.KafkaSourceOptions.ASSIGN;
import static io.zdl.spark.kafka.config.KafkaSourceOptions.SUBSCRIBE;
import static io.zdl.spark.kafka.config.KafkaSourceOptions.SUBSCRIBE_PATTERN;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.kafka.metadata.TopicSubscription;
import io.zdl.spark.kafka.offset.PartitionOffsets;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.TopicPartition;

/** Which partitions the source reads: exactly one of subscribe, subscribePattern and assign. */
final class SubscriptionOptions {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final List<String> KINDS = Arrays.asList(SUBSCRIBE, SUBSCRIBE_PATTERN, ASSIGN);

  private SubscriptionOptions() {}

  static TopicSubscription parse(OptionReader opts) {
    List<String> given = new ArrayList<>();
    for (String key : KINDS) {
      if (opts.has(key)) {
        given.add(key);
      }
    }
    if (given.size() != 1) {
      throw ZdlErrors.exactlyOneOf(new ArrayList<>(KINDS), given);
    }
    String kind = given.get(0);
    String value = opts.get(kind).trim();
    if (kind.equals(SUBSCRIBE)) {
      List<String> topics = new ArrayList<>();
      for (String t : value.split(",")) {
        if (!t.trim().isEmpty()) {
          topics.add(t.trim());
        }
      }
      if (topics.isEmpty()) {
        throw ZdlErrors.invalidOption(SUBSCRIBE, value, "a comma-separated list of one or more topic names");
      }
      return TopicSubscription.topics(topics);
    }
    if (kind.equals(SUBSCRIBE_PATTERN)) {
      if (value.isEmpty()) {
        throw ZdlErrors.invalidOption(SUBSCRIBE_PATTERN, value, "a non-empty Java regular expression");
      }
      try {
        return TopicSubscription.pattern(Pattern.compile(value));
      } catch (PatternSyntaxException e) {
        throw ZdlErrors.invalidOption(SUBSCRIBE_PATTERN, value, "a valid Java regular expression (" + e.getDescription() + ")");
      }
    }
    return TopicSubscription.assigned(parseAssign(value));
  }

  private static Set<TopicPartition> parseAssign(String json) {
    String expected = "JSON such as {\"topicA\":[0,1],\"topicB\":[2]}";
    JsonNode root;
    try {
      root = MAPPER.readTree(json);
    } catch (IOException e) {
      throw ZdlErrors.invalidOption(ASSIGN, json, expected);
    }
    if (root == null || !root.isObject() || root.size() == 0) {
      throw ZdlErrors.invalidOption(ASSIGN, json, expected);
    }
    Set<TopicPartition> partitions = new TreeSet<>(PartitionOffsets.ORDER);
    Iterator<Map.Entry<String, JsonNode>> it = root.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> topic = it.next();
      if (!topic.getValue().isArray() || topic.getValue().size() == 0) {
        throw ZdlErrors.invalidOption(ASSIGN, json, expected + "; topic '" + topic.getKey() + "' needs a list of partitions");
      }
      for (JsonNode p : topic.getValue()) {
        if (!p.isInt() || p.intValue() < 0) {
          throw ZdlErrors.invalidOption(ASSIGN, json, expected + "; '" + p + "' is not a partition number");
        }
        partitions.add(new TopicPartition(topic.getKey(), p.intValue()));
      }
    }
    return partitions;
  }
}
