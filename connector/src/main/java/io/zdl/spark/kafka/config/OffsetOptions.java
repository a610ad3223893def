package io.zdl.spark.kafka.config;

import static io.zdl.spark.kafka.config.KafkaSourceOptions.ENDING_OFFSETS;
import static io.zdl.spark.kafka.config.KafkaSourceOptions.ENDING_OFFSETS_BY_TIMESTAMP;
import static io.zdl.spark.kafka.config.KafkaSourceOptions.ENDING_TIMESTAMP;
import static io.zdl.spark.kafka.config.KafkaSourceOptions.STARTING_OFFSETS;
import static io.zdl.spark.kafka.config.KafkaSourceOptions.STARTING_OFFSETS_BY_TIMESTAMP;
import static io.zdl.spark.kafka.config.KafkaSourceOptions.STARTING_OFFSETS_BY_TIMESTAMP_STRATEGY;
import static io.zdl.spark.kafka.config.KafkaSourceOptions.STARTING_OFFSETS_BY_TIMESTAMP_STRATEGY_DEFAULT;
import static io.zdl.spark.kafka.config.KafkaSourceOptions.STARTING_OFFSETS_FROM_TABLE;
import static io.zdl.spark.kafka.config.KafkaSourceOptions.STARTING_OFFSETS_FROM_TABLE_SINK_ID;
import static io.zdl.spark.kafka.config.KafkaSourceOptions.STARTING_OFFSETS_FROM_TABLE_SINK_ID_DEFAULT;
import static io.zdl.spark.kafka.config.KafkaSourceOptions.STARTING_TIMESTAMP;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.kafka.offset.KafkaOffsetJson;
import io.zdl.spark.kafka.offset.OffsetsInitializer;
import java.io.Serializable;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a read starts and ends: the starting and ending offsets / by-timestamp / timestamp options (at most one
 * of each triple), the by-timestamp strategy, and startingOffsetsFromTable. Which of them a read may use
 * depends on the read mode, so the mode's getter does the last checks.
 */
final class OffsetOptions implements Serializable {
  private final OffsetsInitializer startingOffsets; // null: the mode's default
  private final OffsetsInitializer endingOffsets; // null: latest
  private final String endingOffsetsOption; // which ending option was set, for errors
  private final String startingOffsetsFromTable; // null: not set
  private final String startingOffsetsFromTableSinkId;

  private OffsetOptions(OptionReader opts) {
    boolean latestWhenNone = opts.choice(STARTING_OFFSETS_BY_TIMESTAMP_STRATEGY,
        STARTING_OFFSETS_BY_TIMESTAMP_STRATEGY_DEFAULT, "error", "latest").equals("latest");
    this.startingOffsets = parseOffsetChoice(opts, STARTING_OFFSETS, STARTING_OFFSETS_BY_TIMESTAMP,
        STARTING_TIMESTAMP, latestWhenNone);
    this.endingOffsets = parseOffsetChoice(opts, ENDING_OFFSETS, ENDING_OFFSETS_BY_TIMESTAMP, ENDING_TIMESTAMP, true);
    this.endingOffsetsOption = chosenOption(opts, ENDING_OFFSETS, ENDING_OFFSETS_BY_TIMESTAMP, ENDING_TIMESTAMP);
    this.startingOffsetsFromTable = opts.nonEmpty(STARTING_OFFSETS_FROM_TABLE, "the path of a zdl-delta table");
    this.startingOffsetsFromTableSinkId = opts.get(STARTING_OFFSETS_FROM_TABLE_SINK_ID,
        STARTING_OFFSETS_FROM_TABLE_SINK_ID_DEFAULT);
    if (opts.has(STARTING_OFFSETS_FROM_TABLE_SINK_ID) && startingOffsetsFromTable == null) {
      throw ZdlErrors.invalidOption(STARTING_OFFSETS_FROM_TABLE_SINK_ID,
          "it only has an effect together with " + STARTING_OFFSETS_FROM_TABLE);
    }
  }

  static OffsetOptions parse(OptionReader opts) {
    return new OffsetOptions(opts);
  }

  /** Where a new streaming query starts; ending options are refused, as they mean nothing to a stream. */
  OffsetsInitializer startingOffsetsForStream() {
    if (endingOffsets != null) {
      throw ZdlErrors.invalidOption(endingOffsetsOption,
          "it applies to batch reads (spark.read) only; a streaming query has no end");
    }
    OffsetsInitializer start = startingOffsets == null ? OffsetsInitializer.latest() : startingOffsets;
    return startingOffsetsFromTable == null ? start
        : OffsetsInitializer.fromTable(startingOffsetsFromTable, startingOffsetsFromTableSinkId, start);
  }

  OffsetsInitializer startingOffsetsForBatch() {
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

  OffsetsInitializer endingOffsetsForBatch() {
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

  /** Which of {@code keys} is set (null if none); more than one is a conflict. */
  private static String chosenOption(OptionReader opts, String... keys) {
    String set = null;
    for (String key : keys) {
      if (opts.has(key)) {
        if (set != null) {
          throw ZdlErrors.conflicting(key, set);
        }
        set = key;
      }
    }
    return set;
  }

  /** The offsets / by-timestamp / timestamp triple of options (starting or ending); at most one may be set. */
  private static OffsetsInitializer parseOffsetChoice(OptionReader opts, String offsetsKey,
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
}
