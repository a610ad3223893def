package io.zdl.spark.kafka.config;

import io.zdl.spark.api.PublicApi;
import io.zdl.spark.loss.DataLossPolicy;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Option names of the {@code zdl-kafka} source, with their defaults. Names and meanings follow
 * Spark's built-in {@code kafka} source, so moving a query over means changing one word.
 */
@PublicApi
public final class KafkaSourceOptions {
  /** Prefix of options handed to the Kafka clients with the prefix removed, e.g. {@code kafka.security.protocol}. */
  public static final String KAFKA_PREFIX = "kafka.";

  /** Required: comma-separated host:port list of Kafka brokers. */
  public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";

  /** Comma-separated list of topics to read. Exactly one of subscribe, subscribePattern, assign. */
  public static final String SUBSCRIBE = "subscribe";

  /** Java regular expression; every topic it matches is read, including topics created later. */
  public static final String SUBSCRIBE_PATTERN = "subscribePattern";

  /** JSON of the partitions to read, e.g. {@code {"topicA":[0,1],"topicB":[2]}}. */
  public static final String ASSIGN = "assign";

  /** earliest | latest | JSON {@code {"topic":{"0":23,"1":-2}}} (-2 earliest, -1 latest). Default: latest for streams, earliest for batch reads. Applied only to a new checkpoint. */
  public static final String STARTING_OFFSETS = "startingOffsets";

  /** JSON {@code {"topic":{"0":1700000000000}}}: start each partition at the first record at or after its timestamp (ms). */
  public static final String STARTING_OFFSETS_BY_TIMESTAMP = "startingOffsetsByTimestamp";

  /** Timestamp (ms): start every partition at the first record at or after it. */
  public static final String STARTING_TIMESTAMP = "startingTimestamp";

  /** error | latest: what a by-timestamp start does for a partition with no record at or after the timestamp. Default error. */
  public static final String STARTING_OFFSETS_BY_TIMESTAMP_STRATEGY = "startingOffsetsByTimestampStrategy";
  public static final String STARTING_OFFSETS_BY_TIMESTAMP_STRATEGY_DEFAULT = "error";

  /**
   * Path (or catalog name) of a zdl-delta table: a query with a new checkpoint starts each partition at the next offset
   * the table holds, and partitions the table does not know at the starting option's position.
   */
  public static final String STARTING_OFFSETS_FROM_TABLE = "startingOffsetsFromTable";

  /** The sink id whose offsets {@code startingOffsetsFromTable} reads. Default "default". */
  public static final String STARTING_OFFSETS_FROM_TABLE_SINK_ID = "startingOffsetsFromTable.sinkId";
  public static final String STARTING_OFFSETS_FROM_TABLE_SINK_ID_DEFAULT = "default";

  /** Batch reads only: latest | JSON (-1 latest). Default latest. */
  public static final String ENDING_OFFSETS = "endingOffsets";

  /** Batch reads only: JSON of per-partition timestamps (ms) to end at. */
  public static final String ENDING_OFFSETS_BY_TIMESTAMP = "endingOffsetsByTimestamp";

  /** Batch reads only: one timestamp (ms) to end every partition at. */
  public static final String ENDING_TIMESTAMP = "endingTimestamp";

  /** Stop the query when offsets it must read are gone from Kafka. Default true. */
  public static final String FAIL_ON_DATA_LOSS = DataLossPolicy.FAIL_ON_DATA_LOSS;
  public static final boolean FAIL_ON_DATA_LOSS_DEFAULT = true;

  /** Upper bound on offsets read per micro-batch, split across partitions by their backlog. Default: no limit. */
  public static final String MAX_OFFSETS_PER_TRIGGER = "maxOffsetsPerTrigger";

  /** Fewest new offsets a micro-batch waits for, up to maxTriggerDelay. Default: no minimum. */
  public static final String MIN_OFFSETS_PER_TRIGGER = "minOffsetsPerTrigger";

  /** Longest time a trigger is held back waiting for minOffsetsPerTrigger, e.g. 30s, 15m. Default 15m. */
  public static final String MAX_TRIGGER_DELAY = "maxTriggerDelay";
  public static final String MAX_TRIGGER_DELAY_DEFAULT = "15m";

  /** Least number of Spark partitions per batch; large offset ranges are split to reach it. Default: one per Kafka partition. */
  public static final String MIN_PARTITIONS = "minPartitions";

  /**
   * Most offsets one Spark partition reads (Spark 4's kafka source option): a larger range is split into
   * even pieces before minPartitions applies. Default: no limit.
   */
  public static final String MAX_RECORDS_PER_PARTITION = "maxRecordsPerPartition";

  /** Add the {@code headers} column. Default false. */
  public static final String INCLUDE_HEADERS = "includeHeaders";
  public static final boolean INCLUDE_HEADERS_DEFAULT = false;

  /** Prefix of the consumer group id each query makes for its executors' consumers (ignored when kafka.group.id is set). */
  public static final String GROUP_ID_PREFIX = "groupIdPrefix";
  public static final String GROUP_ID_PREFIX_DEFAULT = "zdl-kafka-source";

  /** How long an executor waits for records it knows exist before failing the task (ms). Default 120000. */
  public static final String POLL_TIMEOUT_MS = "kafkaConsumer.pollTimeoutMs";
  public static final long POLL_TIMEOUT_MS_DEFAULT = 120_000L;

  /** Retries of a failed driver-side offset lookup, 0 to 1000 (more is refused, not capped). Default 3. */
  public static final String FETCH_OFFSET_NUM_RETRIES = "fetchOffset.numRetries";
  public static final int FETCH_OFFSET_NUM_RETRIES_DEFAULT = 3;
  public static final int FETCH_OFFSET_NUM_RETRIES_MAX = 1000;

  /** Wait between those retries (ms). Default 1000. */
  public static final String FETCH_OFFSET_RETRY_INTERVAL_MS = "fetchOffset.retryIntervalMs";
  public static final long FETCH_OFFSET_RETRY_INTERVAL_MS_DEFAULT = 1000L;

  /**
   * Streams only: after Spark commits a batch, also commit its end offsets to this Kafka consumer group, so
   * {@code kafka-consumer-groups --describe} and lag monitors show the query's lag. Never read back: the checkpoint
   * (and a zdl-delta table) stay the truth. A failed group commit is retried and reported, never fails the query.
   * Default: none.
   */
  public static final String COMMIT_OFFSETS_TO_GROUP = "commitOffsetsToGroup";

  /**
   * Every option above except the kafka.* pass-through ones; any other name, except Spark's own {@link #SPARK_OPTIONS},
   * is refused as unknown.
   */
  public static final List<String> ALL = Collections.unmodifiableList(Arrays.asList(
      BOOTSTRAP_SERVERS, SUBSCRIBE, SUBSCRIBE_PATTERN, ASSIGN, STARTING_OFFSETS, STARTING_OFFSETS_BY_TIMESTAMP,
      STARTING_TIMESTAMP, STARTING_OFFSETS_BY_TIMESTAMP_STRATEGY, STARTING_OFFSETS_FROM_TABLE,
      STARTING_OFFSETS_FROM_TABLE_SINK_ID, ENDING_OFFSETS, ENDING_OFFSETS_BY_TIMESTAMP,
      ENDING_TIMESTAMP, FAIL_ON_DATA_LOSS, MAX_OFFSETS_PER_TRIGGER, MIN_OFFSETS_PER_TRIGGER, MAX_TRIGGER_DELAY,
      MIN_PARTITIONS, MAX_RECORDS_PER_PARTITION, INCLUDE_HEADERS, GROUP_ID_PREFIX, POLL_TIMEOUT_MS, FETCH_OFFSET_NUM_RETRIES,
      FETCH_OFFSET_RETRY_INTERVAL_MS, COMMIT_OFFSETS_TO_GROUP));

  /** Options Spark itself adds to a read ({@code load(path)}); accepted and unused. */
  public static final List<String> SPARK_OPTIONS = Collections.unmodifiableList(Arrays.asList("path", "paths"));

  private KafkaSourceOptions() {}
}
