package io.zdl.spark.kafka.config;

import static io.zdl.spark.kafka.config.KafkaSourceOptions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.metadata.TopicSubscription;
import io.zdl.spark.kafka.offset.KafkaOffsetJson;
import io.zdl.spark.kafka.offset.OffsetsInitializer;
import io.zdl.spark.kafka.offset.PartitionOffsets;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code zdl-kafka} options, read and validated once, when the DataFrame is defined. Option
 * names are case-insensitive. Precedence is simple: a read option, else the default in
 * {@link KafkaSourceOptions}; session confs are not consulted. Conflicting settings are refused,
 * never resolved silently.
 */
public final class KafkaSourceConf implements Serializable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaSourceConf.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final KafkaParams kafkaParams;
  private final TopicSubscription subscription;
  private final OffsetsInitializer startingOffsets; // null: the mode's default
  private final OffsetsInitializer endingOffsets; // null: latest
  private final String endingOffsetsOption; // which ending option was set, for errors
  private final String startingOffsetsFromTable; // null: not set
  private final String startingOffsetsFromTableSinkId;
  private final boolean failOnDataLoss;
  private final Long maxOffsetsPerTrigger;
  private final Long minOffsetsPerTrigger;
  private final long maxTriggerDelayMs;
  private final Integer minPartitions;
  private final Long maxRecordsPerPartition;
  private final boolean includeHeaders;
  private final String groupIdPrefix;
  private final long pollTimeoutMs;
  private final int fetchOffsetNumRetries;
  private final long fetchOffsetRetryIntervalMs;
  private final String commitOffsetsToGroup; // null: do not commit to a group

  private KafkaSourceConf(Map<String, String> options) {
    TreeMap<String, String> opts = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    opts.putAll(options);
    warnUnknown(opts);

    this.kafkaParams = KafkaParams.fromOptions(options);
    this.subscription = parseSubscription(opts);

    boolean latestWhenNone = parseChoice(opts, STARTING_OFFSETS_BY_TIMESTAMP_STRATEGY,
        STARTING_OFFSETS_BY_TIMESTAMP_STRATEGY_DEFAULT, "error", "latest").equals("latest");
    this.startingOffsets = parseOffsetChoice(opts, STARTING_OFFSETS, STARTING_OFFSETS_BY_TIMESTAMP,
        STARTING_TIMESTAMP, latestWhenNone);
    this.endingOffsets = parseOffsetChoice(opts, ENDING_OFFSETS, ENDING_OFFSETS_BY_TIMESTAMP,
        ENDING_TIMESTAMP, true);
    this.endingOffsetsOption = chosenOption(opts, ENDING_OFFSETS, ENDING_OFFSETS_BY_TIMESTAMP, ENDING_TIMESTAMP);

    this.startingOffsetsFromTable = opts.containsKey(STARTING_OFFSETS_FROM_TABLE)
        ? nonEmpty(opts, STARTING_OFFSETS_FROM_TABLE, "the path of a zdl-delta table") : null;
    this.startingOffsetsFromTableSinkId = opts.getOrDefault(STARTING_OFFSETS_FROM_TABLE_SINK_ID,
        STARTING_OFFSETS_FROM_TABLE_SINK_ID_DEFAULT);
    if (opts.containsKey(STARTING_OFFSETS_FROM_TABLE_SINK_ID) && startingOffsetsFromTable == null) {
      throw ZdlErrors.invalidOption(STARTING_OFFSETS_FROM_TABLE_SINK_ID,
          "it only has an effect together with " + STARTING_OFFSETS_FROM_TABLE);
    }
    this.failOnDataLoss = parseBoolean(opts, FAIL_ON_DATA_LOSS, FAIL_ON_DATA_LOSS_DEFAULT);
    this.maxOffsetsPerTrigger = parsePositiveLong(opts, MAX_OFFSETS_PER_TRIGGER);
    this.minOffsetsPerTrigger = parsePositiveLong(opts, MIN_OFFSETS_PER_TRIGGER);
    if (maxOffsetsPerTrigger != null && minOffsetsPerTrigger != null && minOffsetsPerTrigger > maxOffsetsPerTrigger) {
      throw ZdlErrors.invalidOption(MIN_OFFSETS_PER_TRIGGER, String.format(
          "%d is larger than %s=%d", minOffsetsPerTrigger, MAX_OFFSETS_PER_TRIGGER, maxOffsetsPerTrigger));
    }
    if (opts.containsKey(MAX_TRIGGER_DELAY) && minOffsetsPerTrigger == null) {
      throw ZdlErrors.invalidOption(MAX_TRIGGER_DELAY, "it only has an effect together with " + MIN_OFFSETS_PER_TRIGGER);
    }
    this.maxTriggerDelayMs = Durations.toMillis(opts.getOrDefault(MAX_TRIGGER_DELAY, MAX_TRIGGER_DELAY_DEFAULT),
        MAX_TRIGGER_DELAY);
    Long minParts = parsePositiveLong(opts, MIN_PARTITIONS);
    if (minParts != null && minParts > Integer.MAX_VALUE) {
      throw ZdlErrors.invalidOption(MIN_PARTITIONS, minParts.toString(), "a positive whole number below 2^31");
    }
    this.minPartitions = minParts == null ? null : minParts.intValue();
    this.maxRecordsPerPartition = parsePositiveLong(opts, MAX_RECORDS_PER_PARTITION);
    this.includeHeaders = parseBoolean(opts, INCLUDE_HEADERS, INCLUDE_HEADERS_DEFAULT);
    this.groupIdPrefix = opts.getOrDefault(GROUP_ID_PREFIX, GROUP_ID_PREFIX_DEFAULT);
    if (opts.containsKey(GROUP_ID_PREFIX) && kafkaParams.userGroupId() != null) {
      throw ZdlErrors.conflicting(GROUP_ID_PREFIX, "kafka.group.id");
    }
    Long poll = parsePositiveLong(opts, POLL_TIMEOUT_MS);
    this.pollTimeoutMs = poll == null ? POLL_TIMEOUT_MS_DEFAULT : poll;
    Long retries = parseNonNegativeLong(opts, FETCH_OFFSET_NUM_RETRIES);
    this.fetchOffsetNumRetries = retries == null ? FETCH_OFFSET_NUM_RETRIES_DEFAULT : (int) Math.min(retries, 1000);
    Long interval = parseNonNegativeLong(opts, FETCH_OFFSET_RETRY_INTERVAL_MS);
    this.fetchOffsetRetryIntervalMs = interval == null ? FETCH_OFFSET_RETRY_INTERVAL_MS_DEFAULT : interval;
    this.commitOffsetsToGroup = opts.containsKey(COMMIT_OFFSETS_TO_GROUP)
        ? nonEmpty(opts, COMMIT_OFFSETS_TO_GROUP, "the name of a Kafka consumer group") : null;
  }

  /** Reads and validates all options; throws a {@link ZdlException} naming the option at fault. */
  public static KafkaSourceConf parse(Map<String, String> options) {
    return new KafkaSourceConf(options);
  }

  // ---- per read mode ----

  /** Where a new streaming query starts; ending options are refused, as they mean nothing to a stream. */
  public OffsetsInitializer startingOffsetsForStream() {
    if (endingOffsets != null) {
      throw ZdlErrors.invalidOption(endingOffsetsOption,
          "it applies to batch reads (spark.read) only; a streaming query has no end");
    }
    OffsetsInitializer start = startingOffsets == null ? OffsetsInitializer.latest() : startingOffsets;
    return startingOffsetsFromTable == null ? start
        : OffsetsInitializer.fromTable(startingOffsetsFromTable, startingOffsetsFromTableSinkId, start);
  }

  public OffsetsInitializer startingOffsetsForBatch() {
    if (startingOffsetsFromTable != null) {
      throw ZdlErrors.invalidOption(STARTING_OFFSETS_FROM_TABLE, "it applies to streaming queries only");
    }
    OffsetsInitializer start = startingOffsets == null ? OffsetsInitializer.earliest() : startingOffsets;
    if (start.isLatest()) {
      throw ZdlErrors.invalidOption(STARTING_OFFSETS, "latest",
          "earliest or JSON for a batch read (starting at latest would read nothing)");
    }
    refuseSpecialValue(start, OffsetsInitializer.LATEST, STARTING_OFFSETS, "-1 (latest)");
    return start;
  }

  public OffsetsInitializer endingOffsetsForBatch() {
    OffsetsInitializer end = endingOffsets == null ? OffsetsInitializer.latest() : endingOffsets;
    refuseSpecialValue(end, OffsetsInitializer.EARLIEST, ENDING_OFFSETS, "-2 (earliest)");
    return end;
  }

  private static void refuseSpecialValue(OffsetsInitializer init, long special, String option, String what) {
    Map<TopicPartition, Long> specific = init.specificOffsets();
    if (specific != null) {
      for (Map.Entry<TopicPartition, Long> e : specific.entrySet()) {
        if (e.getValue() == special) {
          throw ZdlErrors.invalidOption(option, String.format(
              "%s is not allowed for %s in a batch read", what, e.getKey()));
        }
      }
    }
  }

  // ---- accessors ----

  public KafkaParams kafkaParams() {
    return kafkaParams;
  }

  public TopicSubscription subscription() {
    return subscription;
  }

  public boolean failOnDataLoss() {
    return failOnDataLoss;
  }

  /** Null when unlimited. */
  public Long maxOffsetsPerTrigger() {
    return maxOffsetsPerTrigger;
  }

  /** Null when not set. */
  public Long minOffsetsPerTrigger() {
    return minOffsetsPerTrigger;
  }

  public long maxTriggerDelayMs() {
    return maxTriggerDelayMs;
  }

  /** Null when not set. */
  public Integer minPartitions() {
    return minPartitions;
  }

  /** Null when not set. */
  public Long maxRecordsPerPartition() {
    return maxRecordsPerPartition;
  }

  public boolean includeHeaders() {
    return includeHeaders;
  }

  public long pollTimeoutMs() {
    return pollTimeoutMs;
  }

  public int fetchOffsetNumRetries() {
    return fetchOffsetNumRetries;
  }

  public long fetchOffsetRetryIntervalMs() {
    return fetchOffsetRetryIntervalMs;
  }

  /** The consumer group to commit processed offsets to after each batch, or null. */
  public String commitOffsetsToGroup() {
    return commitOffsetsToGroup;
  }

  /** kafka.group.id when set (Spark allows it, e.g. for ACLs); else the prefix plus {@code queryUnique}. */
  public String executorGroupId(String queryUnique) {
    String user = kafkaParams.userGroupId();
    return user != null ? user : groupIdPrefix + "-" + queryUnique;
  }

  // ---- parsing ----

  private static void warnUnknown(Map<String, String> opts) {
    Set<String> known = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    known.addAll(ALL);
    for (String key : opts.keySet()) {
      if (!known.contains(key) && !key.toLowerCase(Locale.ROOT).startsWith(KAFKA_PREFIX) && !key.equalsIgnoreCase("path")) {
        LOG.warn("Ignoring option '{}': zdl-kafka has no such option. Known options: {} and kafka.*", key, ALL);
      }
    }
  }

  private static TopicSubscription parseSubscription(Map<String, String> opts) {
    List<String> given = new ArrayList<>();
    for (String key : new String[] {SUBSCRIBE, SUBSCRIBE_PATTERN, ASSIGN}) {
      if (opts.containsKey(key)) {
        given.add(key);
      }
    }
    if (given.size() != 1) {
      List<String> all = new ArrayList<>();
      all.add(SUBSCRIBE);
      all.add(SUBSCRIBE_PATTERN);
      all.add(ASSIGN);
      throw ZdlErrors.exactlyOneOf(all, given);
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

  /** Which of {@code keys} is set (null if none); more than one is a conflict. */
  private static String chosenOption(Map<String, String> opts, String... keys) {
    String set = null;
    for (String key : keys) {
      if (opts.containsKey(key)) {
        if (set != null) {
          throw ZdlErrors.conflicting(key, set);
        }
        set = key;
      }
    }
    return set;
  }

  /** The offsets / by-timestamp / timestamp triple of options (starting or ending); at most one may be set. */
  private static OffsetsInitializer parseOffsetChoice(Map<String, String> opts, String offsetsKey,
      String byTimestampKey, String timestampKey, boolean latestWhenNone) {
    String set = chosenOption(opts, offsetsKey, byTimestampKey, timestampKey);
    if (set == null) {
      return null;
    }
    String value = opts.get(set).trim();
    if (set.equals(timestampKey)) {
      return OffsetsInitializer.timestamp(parseTimestamp(set, value), set, latestWhenNone);
    }
    if (set.equals(byTimestampKey)) {
      Map<TopicPartition, Long> timestamps = KafkaOffsetJson.fromUserJson(value, set);
      for (Map.Entry<TopicPartition, Long> e : timestamps.entrySet()) {
        if (e.getValue() < 0) {
          throw ZdlErrors.invalidOption(set, String.format(
              "timestamp %d for %s is negative; timestamps are milliseconds since the epoch", e.getValue(), e.getKey()));
        }
      }
      return OffsetsInitializer.timestamps(timestamps, set, latestWhenNone);
    }
    String lower = value.toLowerCase(Locale.ROOT);
    if (lower.equals("earliest")) {
      return OffsetsInitializer.earliest();
    }
    if (lower.equals("latest")) {
      return OffsetsInitializer.latest();
    }
    if (!value.startsWith("{")) {
      throw ZdlErrors.invalidOption(set, value, "earliest, latest, or JSON such as {\"topicA\":{\"0\":23,\"1\":-2}}");
    }
    Map<TopicPartition, Long> offsets = KafkaOffsetJson.fromUserJson(value, set);
    for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
      if (e.getValue() < OffsetsInitializer.EARLIEST) {
        throw ZdlErrors.invalidOption(set, String.format(
            "offset %d for %s is not an offset; use a value >= 0, -2 for earliest or -1 for latest",
            e.getValue(), e.getKey()));
      }
    }
    return OffsetsInitializer.specific(offsets, set);
  }

  private static long parseTimestamp(String key, String value) {
    try {
      long ts = Long.parseLong(value);
      if (ts >= 0) {
        return ts;
      }
    } catch (NumberFormatException ignored) {
      // reported below with the option's name
    }
    throw ZdlErrors.invalidOption(key, value, "a timestamp in milliseconds since the epoch, e.g. 1700000000000");
  }

  private static String nonEmpty(Map<String, String> opts, String key, String expected) {
    String v = opts.get(key).trim();
    if (v.isEmpty()) {
      throw ZdlErrors.invalidOption(key, v, expected);
    }
    return v;
  }

  private static boolean parseBoolean(Map<String, String> opts, String key, boolean dflt) {
    String v = opts.get(key);
    if (v == null) {
      return dflt;
    }
    String t = v.trim().toLowerCase(Locale.ROOT);
    if (t.equals("true")) {
      return true;
    }
    if (t.equals("false")) {
      return false;
    }
    throw ZdlErrors.invalidOption(key, v, "true or false");
  }

  private static String parseChoice(Map<String, String> opts, String key, String dflt, String... allowed) {
    String v = opts.get(key);
    if (v == null) {
      return dflt;
    }
    String t = v.trim().toLowerCase(Locale.ROOT);
    for (String a : allowed) {
      if (a.equals(t)) {
        return a;
      }
    }
    throw ZdlErrors.invalidOption(key, v, "one of " + String.join(", ", allowed));
  }

  private static Long parsePositiveLong(Map<String, String> opts, String key) {
    Long v = parseLong(opts, key, "a positive whole number");
    if (v != null && v <= 0) {
      throw ZdlErrors.invalidOption(key, opts.get(key), "a positive whole number");
    }
    return v;
  }

  private static Long parseNonNegativeLong(Map<String, String> opts, String key) {
    Long v = parseLong(opts, key, "a whole number >= 0");
    if (v != null && v < 0) {
      throw ZdlErrors.invalidOption(key, opts.get(key), "a whole number >= 0");
    }
    return v;
  }

  private static Long parseLong(Map<String, String> opts, String key, String expected) {
    String v = opts.get(key);
    if (v == null) {
      return null;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw ZdlErrors.invalidOption(key, v, expected);
    }
  }

  /** Options as the user wrote them would include secrets; this shows only the shape of the query. */
  @Override
  public String toString() {
    return "zdl-kafka[" + subscription + "]";
  }
}
