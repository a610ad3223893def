package io.zdl.spark.kafka.offset;

import java.util.Iterator;
import java.util.Map;
import java.util.ServiceLoader;
import org.apache.kafka.common.TopicPartition;

/**
 * Where a zdl-delta table says a sink's partitions go on ({@link OffsetsInitializer#fromTable}). Declared
 * here and implemented by the sink's package ({@code io.zdl.spark.delta.TableOffsetLookup}, registered in
 * {@code META-INF/services}), because the sink sits above the source: the source finds it at run time,
 * only when a query starts from a table, and never names it.
 */
public interface TableStartLookup {
  /** The next offsets and topic ids that sink {@code sinkId} committed to the table at {@code tablePath}. */
  TableStart committed(String tablePath, String sinkId);

  /** The one implementation the connector's jar registers. */
  static TableStartLookup load() {
    Iterator<TableStartLookup> found =
        ServiceLoader.load(TableStartLookup.class, TableStartLookup.class.getClassLoader()).iterator();
    if (!found.hasNext()) {
      throw new IllegalStateException("No " + TableStartLookup.class.getName() + " is registered in "
          + "META-INF/services: the zdl connector jar is incomplete");
    }
    return found.next();
  }

  /** Where a table says a sink's partitions go on, and which Kafka topics those positions belong to. */
  final class TableStart {
    private final Map<TopicPartition, Long> nextOffsets;
    private final Map<String, String> topicIds;

    public TableStart(Map<TopicPartition, Long> nextOffsets, Map<String, String> topicIds) {
      this.nextOffsets = nextOffsets;
      this.topicIds = topicIds;
    }

    public Map<TopicPartition, Long> nextOffsets() {
      return nextOffsets;
    }

    /** Topic to Kafka topic id; topics the table keeps no id for are absent. */
    public Map<String, String> topicIds() {
      return topicIds;
    }
  }
}
