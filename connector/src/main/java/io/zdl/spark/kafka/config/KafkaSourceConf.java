package io.zdl.spark.kafka.config;

import static io.zdl.spark.kafka.config.KafkaSourceOptions.*;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.metadata.TopicSubscription;
import io.zdl.spark.kafka.offset.OffsetsInitializer;
import java.io.Serializable;
import java.util.Map;

/**
 * The {@code zdl-kafka} options, read and validated once, when the DataFrame is defined. Option
 * names are case-insensitive. Precedence is simple: a read option, else the default in
 * {@link KafkaSourceOptions}; session confs are not consulted. Conflicting settings are refused,
 * never resolved silently; so are unknown option names and values out of range. Subscription and
 * offset options have their own classes ({@link SubscriptionOptions}, {@link OffsetOptions}).
 */
public final class KafkaSourceConf implements Serializable {
  private final KafkaParams kafkaParams;
  private final TopicSubscription subscription;
  private final OffsetOptions offsets;
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
    OptionReader opts = OptionReader.of("zdl-kafka", options);
    opts.checkNames(ALL, SPARK_OPTIONS, false);

    this.kafkaParams = KafkaParams.fromOptions(options);
    this.subscription = SubscriptionOptions.parse(opts);
    this.offsets = OffsetOptions.parse(opts);
    this.failOnDataLoss = opts.bool(FAIL_ON_DATA_LOSS, FAIL_ON_DATA_LOSS_DEFAULT);
    this.maxOffsetsPerTrigger = opts.positiveLong(MAX_OFFSETS_PER_TRIGGER);
    this.minOffsetsPerTrigger = opts.positiveLong(MIN_OFFSETS_PER_TRIGGER);
    if (maxOffsetsPerTrigger != null && minOffsetsPerTrigger != null && minOffsetsPerTrigger > maxOffsetsPerTrigger) {
      throw ZdlErrors.invalidOption(MIN_OFFSETS_PER_TRIGGER, String.format(
          "%d is larger than %s=%d", minOffsetsPerTrigger, MAX_OFFSETS_PER_TRIGGER, maxOffsetsPerTrigger));
    }
    if (opts.has(MAX_TRIGGER_DELAY) && minOffsetsPerTrigger == null) {
      throw ZdlErrors.invalidOption(MAX_TRIGGER_DELAY, "it only has an effect together with " + MIN_OFFSETS_PER_TRIGGER);
    }
    this.maxTriggerDelayMs = opts.durationMillis(MAX_TRIGGER_DELAY, MAX_TRIGGER_DELAY_DEFAULT);
    this.minPartitions = opts.intInRange(MIN_PARTITIONS, 1, Integer.MAX_VALUE, "a positive whole number below 2^31");
    this.maxRecordsPerPartition = opts.positiveLong(MAX_RECORDS_PER_PARTITION);
    this.includeHeaders = opts.bool(INCLUDE_HEADERS, INCLUDE_HEADERS_DEFAULT);
    this.groupIdPrefix = opts.get(GROUP_ID_PREFIX, GROUP_ID_PREFIX_DEFAULT);
    if (opts.has(GROUP_ID_PREFIX) && kafkaParams.userGroupId() != null) {
      throw ZdlErrors.conflicting(GROUP_ID_PREFIX, "kafka.group.id");
    }
    Long poll = opts.positiveLong(POLL_TIMEOUT_MS);
    this.pollTimeoutMs = poll == null ? POLL_TIMEOUT_MS_DEFAULT : poll;
    Integer retries = opts.intInRange(FETCH_OFFSET_NUM_RETRIES, 0, FETCH_OFFSET_NUM_RETRIES_MAX,
        "a whole number from 0 to " + FETCH_OFFSET_NUM_RETRIES_MAX);
    this.fetchOffsetNumRetries = retries == null ? FETCH_OFFSET_NUM_RETRIES_DEFAULT : retries;
    Long interval = opts.nonNegativeLong(FETCH_OFFSET_RETRY_INTERVAL_MS);
    this.fetchOffsetRetryIntervalMs = interval == null ? FETCH_OFFSET_RETRY_INTERVAL_MS_DEFAULT : interval;
    this.commitOffsetsToGroup = opts.nonEmpty(COMMIT_OFFSETS_TO_GROUP, "the name of a Kafka consumer group");
  }

  /** Reads and validates all options; throws a {@link ZdlException} naming the option at fault. */
  public static KafkaSourceConf parse(Map<String, String> options) {
    return new KafkaSourceConf(options);
  }

  // ---- per read mode ----

  /** Where a new streaming query starts; ending options are refused, as they mean nothing to a stream. */
  public OffsetsInitializer startingOffsetsForStream() {
    return offsets.startingOffsetsForStream();
  }

  /** Where a batch read starts: earliest unless set; latest (or -1 for a partition) is refused. */
  public OffsetsInitializer startingOffsetsForBatch() {
    return offsets.startingOffsetsForBatch();
  }

  /** Where a batch read ends: latest unless set; -2 (earliest) for a partition is refused. */
  public OffsetsInitializer endingOffsetsForBatch() {
    return offsets.endingOffsetsForBatch();
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

  /** Options as the user wrote them would include secrets; this shows only the shape of the query. */
  @Override
  public String toString() {
    return "zdl-kafka[" + subscription + "]";
  }
}
