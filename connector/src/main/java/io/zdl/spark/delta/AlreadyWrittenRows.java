package io.zdl.spark.delta;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.line.SparkLine;
import java.io.Serializable;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.InternalRow;

/**
 * Drops the rows of a batch whose Kafka offsets the table already holds. Rows are told apart by the
 * zdl-kafka source's own columns ({@link SourceColumns}), read by position from the batch's executed
 * rows: a column that only has the name {@code topic}, {@code partition} or {@code offset} never
 * decides what is written.
 */
final class AlreadyWrittenRows {
  static final List<String> KAFKA_COLUMNS = Arrays.asList("topic", "partition", "offset");

  private AlreadyWrittenRows() {}

  static Dataset<Row> drop(Dataset<Row> batch, Map<TopicPartition, Long> dropBelow, String table) {
    int[] ordinals = SourceColumns.ordinals(batch.queryExecution().analyzed());
    for (int ordinal : ordinals) {
      if (ordinal < 0) {
        Map.Entry<TopicPartition, Long> first = dropBelow.entrySet().iterator().next();
        throw new ZdlException(ZdlErrors.SINK_OVERLAP_UNDECIDABLE, String.format(
            "This batch covers offsets of topic %s partition %d below %d that table %s already holds, and it also "
                + "holds new offsets. To write only the new rows, zdl-delta needs the zdl-kafka source's own columns "
                + "%s in the written rows, passed through or renamed; they are not all there (columns: %s). A column "
                + "of another origin with one of those names (a payload field, e.g. from from_json) does not count. "
                + "Keep the zdl-kafka columns (under any name), or restart the query with "
                + "startingOffsetsFromTable=%s so that batches never overlap the table.",
            first.getKey().topic(), first.getKey().partition(), first.getValue(), table, KAFKA_COLUMNS,
            Arrays.asList(batch.schema().fieldNames()), table));
      }
    }
    Map<String, Map<Integer, Long>> below = new HashMap<>();
    for (Map.Entry<TopicPartition, Long> e : dropBelow.entrySet()) {
      below.computeIfAbsent(e.getKey().topic(), t -> new HashMap<>()).put(e.getKey().partition(), e.getValue());
    }
    // the batch's plan is a streaming one, which Spark refuses to extend; its executed rows as a plain
    // DataFrame can be filtered, as Spark does for foreachBatch (only an overlap gets here)
    RDD<InternalRow> rows = batch.queryExecution().toRdd().toJavaRDD()
        .filter(new NewRows(ordinals, below, table)).rdd();
    return SparkLine.dataFrame(batch.sparkSession(), rows, batch.schema());
  }

  /** Keeps a row unless the table holds its offset; a row without its source position stops the batch. */
  private static final class NewRows implements Function<InternalRow, Boolean>, Serializable {
    private static final long serialVersionUID = 1L;
    private final int topic;
    private final int partition;
    private final int offset;
    private final HashMap<String, Map<Integer, Long>> below;
    private final String table;

    NewRows(int[] ordinals, Map<String, Map<Integer, Long>> below, String table) {
      this.topic = ordinals[SourceColumns.Kind.TOPIC.ordinal()];
      this.partition = ordinals[SourceColumns.Kind.PARTITION.ordinal()];
      this.offset = ordinals[SourceColumns.Kind.OFFSET.ordinal()];
      this.below = new HashMap<>(below);
      this.table = table;
    }

    @Override
    public Boolean call(InternalRow row) {
      if (row.isNullAt(topic) || row.isNullAt(partition) || row.isNullAt(offset)) {
        // e.g. the null side of an outer join: neither dropping nor keeping it is known to be right
        throw new ZdlException(ZdlErrors.SINK_OVERLAP_UNDECIDABLE, String.format(
            "A row of this batch has a null zdl-kafka topic, partition or offset, and the batch overlaps offsets "
                + "table %s already holds, so zdl-delta cannot tell whether the row is new. Nothing of the batch "
                + "was written. Restart the query with startingOffsetsFromTable=%s so that batches never overlap "
                + "the table.", table, table));
      }
      Map<Integer, Long> partitions = below.get(row.getUTF8String(topic).toString());
      Long limit = partitions == null ? null : partitions.get(row.getInt(partition));
      return limit == null || row.getLong(offset) >= limit;
    }
  }
}
