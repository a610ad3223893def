package io.zdl.spark.kafka.offset;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.io.Serializable;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;

/**
 * Where reading starts (or, for batch reads, ends) when there is no checkpoint to say so:
 * {@link #earliest()}, {@link #latest()}, {@link #specific(Map, String)}, {@link #timestamp(long, String, boolean)}
 * and {@link #timestamps(Map, String, boolean)}. Resolving turns the choice into one concrete offset
 * per partition.
 */
public abstract class OffsetsInitializer implements Serializable {
  /**
   * The lookups resolving needs, and no more (as Flink's {@code OffsetsInitializer.PartitionOffsetsRetriever}):
   * the driver's {@code KafkaOffsetReader} is one.
   */
  public interface PartitionOffsetsRetriever {
    /** Offset value returned by {@link #offsetsForTimestamps} where no record is at or after the timestamp. */
    long NO_OFFSET = -1L;

    /** Log start offsets. */
    Map<TopicPartition, Long> earliestOffsets(Set<TopicPartition> partitions);

    /** Log end offsets, or the last stable offsets under {@code isolation.level=read_committed}. */
    Map<TopicPartition, Long> latestOffsets(Set<TopicPartition> partitions);

    /** Per partition, the first offset whose record timestamp is at or after the given one, or {@link #NO_OFFSET}. */
    Map<TopicPartition, Long> offsetsForTimestamps(Map<TopicPartition, Long> timestamps);
  }

  /** In user JSON, as in Spark's source: -2 is the earliest offset, -1 the latest. */
  public static final long EARLIEST = -2L;
  public static final long LATEST = -1L;

  public static OffsetsInitializer earliest() {
    return new Earliest();
  }

  public static OffsetsInitializer latest() {
    return new Latest();
  }

  /** Offsets given per partition; -2 and -1 stand for earliest and latest. */
  public static OffsetsInitializer specific(Map<TopicPartition, Long> offsets, String option) {
    return new Specific(offsets, option);
  }

  /** The first offset at or after one timestamp (ms) in every partition. */
  public static OffsetsInitializer timestamp(long timestampMs, String option, boolean latestWhenNone) {
    return new GlobalTimestamp(timestampMs, option, latestWhenNone);
  }

  /** The first offset at or after a timestamp (ms) given per partition. */
  public static OffsetsInitializer timestamps(Map<TopicPartition, Long> timestampsMs, String option,
      boolean latestWhenNone) {
    return new PerPartitionTimestamp(timestampsMs, option, latestWhenNone);
  }

  /**
   * The next offsets a zdl-delta table holds (written by sink {@code sinkId}). A partition the table
   * holds no position for starts where {@code userStart} names it explicitly (per-partition JSON), and
   * otherwise at its earliest offset: its records were never written, so none may be skipped.
   */
  public static OffsetsInitializer fromTable(String tablePath, String sinkId, OffsetsInitializer userStart) {
    return new FromTable(tablePath, sinkId, userStart);
  }

  /** One concrete offset for each of {@code partitions}. */
  public abstract Map<TopicPartition, Long> resolve(Set<TopicPartition> partitions, PartitionOffsetsRetriever reader);

  /** True for {@link #latest()}. */
  public boolean isLatest() {
    return false;
  }

  /** True for {@link #earliest()}. */
  public boolean isEarliest() {
    return false;
  }

  /** Per-partition values given by the user, or null; for validation of batch reads. */
  public Map<TopicPartition, Long> specificOffsets() {
    return null;
  }

  /**
   * Resolves only those of {@code partitions} this choice names one by one (per-partition JSON); empty
   * for a choice that names no partition (earliest, latest, one timestamp for all).
   */
  Map<TopicPartition, Long> resolveNamed(Set<TopicPartition> partitions, PartitionOffsetsRetriever reader) {
    return PartitionOffsets.sorted();
  }

  /**
   * Topic name to Kafka topic id, as the place the offsets came from knows them, once {@link #resolve}
   * ran; empty when that place keeps none (only a zdl-delta table does).
   */
  public Map<String, String> knownTopicIds() {
    return java.util.Collections.emptyMap();
  }

  @Override
  public abstract String toString();

  private static final class Earliest extends OffsetsInitializer {
    @Override
    public Map<TopicPartition, Long> resolve(Set<TopicPartition> partitions, PartitionOffsetsRetriever reader) {
      return reader.earliestOffsets(partitions);
    }

    @Override
    public boolean isEarliest() {
      return true;
    }

    @Override
    public String toString() {
      return "earliest";
    }
  }

  private static final class Latest extends OffsetsInitializer {
    @Override
    public Map<TopicPartition, Long> resolve(Set<TopicPartition> partitions, PartitionOffsetsRetriever reader) {
      return reader.latestOffsets(partitions);
    }

    @Override
    public boolean isLatest() {
      return true;
    }

    @Override
    public String toString() {
      return "latest";
    }
  }

  private static Map<TopicPartition, Long> restrict(Map<TopicPartition, Long> values, Set<TopicPartition> partitions) {
    Map<TopicPartition, Long> named = PartitionOffsets.sorted();
    for (Map.Entry<TopicPartition, Long> e : values.entrySet()) {
      if (partitions.contains(e.getKey())) {
        named.put(e.getKey(), e.getValue());
      }
    }
    return named;
  }

  /** Spark's rule, kept: per-partition JSON must name exactly the partitions the query reads. */
  static void requireSamePartitions(Set<TopicPartition> given, Set<TopicPartition> actual, String option) {
    if (!given.equals(actual)) {
      Set<TopicPartition> missing = new TreeSet<>(PartitionOffsets.ORDER);
      missing.addAll(actual);
      missing.removeAll(given);
      Set<TopicPartition> unknown = new TreeSet<>(PartitionOffsets.ORDER);
      unknown.addAll(given);
      unknown.removeAll(actual);
      throw new ZdlException(ZdlErrors.INVALID_OPTION, String.format(
          "Option %s must give a value for every partition the query reads and no other: missing %s, "
              + "not read by this query (or not existing) %s. Use -2 for earliest and -1 for latest.",
          option, missing, unknown));
    }
  }

  private static final class Specific extends OffsetsInitializer {
    private final Map<TopicPartition, Long> offsets;
    private final String option;

    Specific(Map<TopicPartition, Long> offsets, String option) {
      this.offsets = PartitionOffsets.sortedCopy(offsets);
      this.option = option;
    }

    @Override
    public Map<TopicPartition, Long> resolve(Set<TopicPartition> partitions, PartitionOffsetsRetriever reader) {
      requireSamePartitions(offsets.keySet(), partitions, option);
      Set<TopicPartition> needEarliest = new TreeSet<>(PartitionOffsets.ORDER);
      Set<TopicPartition> needLatest = new TreeSet<>(PartitionOffsets.ORDER);
      for (Map.Entry<TopicPartition, Long> e : offsets.entrySet()) {
        if (e.getValue() == EARLIEST) {
          needEarliest.add(e.getKey());
        } else if (e.getValue() == LATEST) {
          needLatest.add(e.getKey());
        }
      }
      Map<TopicPartition, Long> resolved = PartitionOffsets.sorted();
      resolved.putAll(offsets);
      resolved.putAll(reader.earliestOffsets(needEarliest));
      resolved.putAll(reader.latestOffsets(needLatest));
      return resolved;
    }

    @Override
    public Map<TopicPartition, Long> specificOffsets() {
      return offsets;
    }

    @Override
    Map<TopicPartition, Long> resolveNamed(Set<TopicPartition> partitions, PartitionOffsetsRetriever reader) {
      Map<TopicPartition, Long> named = restrict(offsets, partitions);
      return named.isEmpty() ? named : new Specific(named, option).resolve(named.keySet(), reader);
    }

    @Override
    public String toString() {
      return KafkaOffsetJson.toUserJson(offsets);
    }
  }

  /** Resolves timestamp lookups, applying startingOffsetsByTimestampStrategy where none matches. */
  static Map<TopicPartition, Long> resolveTimestamps(Map<TopicPartition, Long> timestamps, PartitionOffsetsRetriever reader,
      String option, boolean latestWhenNone) {
    Map<TopicPartition, Long> found = reader.offsetsForTimestamps(timestamps);
    Set<TopicPartition> none = new TreeSet<>(PartitionOffsets.ORDER);
    Map<TopicPartition, Long> resolved = PartitionOffsets.sorted();
    for (Map.Entry<TopicPartition, Long> e : found.entrySet()) {
      if (e.getValue() == null || e.getValue() < 0) {
        none.add(e.getKey());
      } else {
        resolved.put(e.getKey(), e.getValue());
      }
    }
    if (!none.isEmpty()) {
      if (!latestWhenNone) {
        throw new ZdlException(ZdlErrors.INVALID_OPTION, String.format(
            "No record at or after the timestamp given by %s in partitions %s. To start such partitions "
                + "at the latest offset instead, set startingOffsetsByTimestampStrategy=latest", option, none));
      }
      resolved.putAll(reader.latestOffsets(none));
    }
    return resolved;
  }

  private static final class GlobalTimestamp extends OffsetsInitializer {
    private final long timestampMs;
    private final String option;
    private final boolean latestWhenNone;

    GlobalTimestamp(long timestampMs, String option, boolean latestWhenNone) {
      this.timestampMs = timestampMs;
      this.option = option;
      this.latestWhenNone = latestWhenNone;
    }

    @Override
    public Map<TopicPartition, Long> resolve(Set<TopicPartition> partitions, PartitionOffsetsRetriever reader) {
      Map<TopicPartition, Long> timestamps = PartitionOffsets.sorted();
      for (TopicPartition tp : partitions) {
        timestamps.put(tp, timestampMs);
      }
      return resolveTimestamps(timestamps, reader, option, latestWhenNone);
    }

    @Override
    public String toString() {
      return "timestamp " + timestampMs;
    }
  }

  private static final class PerPartitionTimestamp extends OffsetsInitializer {
    private final Map<TopicPartition, Long> timestampsMs;
    private final String option;
    private final boolean latestWhenNone;

    PerPartitionTimestamp(Map<TopicPartition, Long> timestampsMs, String option, boolean latestWhenNone) {
      this.timestampsMs = PartitionOffsets.sortedCopy(timestampsMs);
      this.option = option;
      this.latestWhenNone = latestWhenNone;
    }

    @Override
    public Map<TopicPartition, Long> resolve(Set<TopicPartition> partitions, PartitionOffsetsRetriever reader) {
      requireSamePartitions(timestampsMs.keySet(), partitions, option);
      return resolveTimestamps(timestampsMs, reader, option, latestWhenNone);
    }

    @Override
    Map<TopicPartition, Long> resolveNamed(Set<TopicPartition> partitions, PartitionOffsetsRetriever reader) {
      Map<TopicPartition, Long> named = restrict(timestampsMs, partitions);
      return named.isEmpty() ? named : resolveTimestamps(named, reader, option, latestWhenNone);
    }

    @Override
    public String toString() {
      return "timestamps " + KafkaOffsetJson.toUserJson(timestampsMs);
    }
  }

  private static final class FromTable extends OffsetsInitializer {
    private final String tablePath;
    private final String sinkId;
    private final OffsetsInitializer userStart;
    private volatile Map<String, String> tableTopicIds = java.util.Collections.emptyMap();

    FromTable(String tablePath, String sinkId, OffsetsInitializer userStart) {
      this.tablePath = tablePath;
      this.sinkId = sinkId;
      this.userStart = userStart;
    }

    @Override
    public Map<TopicPartition, Long> resolve(Set<TopicPartition> partitions, PartitionOffsetsRetriever reader) {
      TableStartLookup.TableStart table = TableStartLookup.load().committed(tablePath, sinkId);
      tableTopicIds = table.topicIds();
      Map<TopicPartition, Long> resolved = PartitionOffsets.sorted();
      Set<TopicPartition> unknown = new TreeSet<>(PartitionOffsets.ORDER);
      for (TopicPartition tp : partitions) {
        Long next = table.nextOffsets().get(tp);
        if (next != null) {
          resolved.put(tp, next);
        } else {
          unknown.add(tp);
        }
      }
      // never latest: a partition the table holds no position for (quiet so far, or added while the
      // query was down) would skip every record written before the restart, without a trace
      Map<TopicPartition, Long> explicit = userStart.resolveNamed(unknown, reader);
      resolved.putAll(explicit);
      unknown.removeAll(explicit.keySet());
      if (!unknown.isEmpty()) {
        resolved.putAll(reader.earliestOffsets(unknown));
      }
      return resolved;
    }

    @Override
    public Map<String, String> knownTopicIds() {
      return tableTopicIds;
    }

    @Override
    public String toString() {
      return "fromTable[" + tablePath + ", sinkId=" + sinkId + ", else per-partition " + userStart + " or earliest]";
    }
  }
}
