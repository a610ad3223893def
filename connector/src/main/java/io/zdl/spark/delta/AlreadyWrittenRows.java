package io.zdl.spark.delta;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** Drops the rows of a batch whose Kafka offsets the table already holds. */
final class AlreadyWrittenRows {
  static final List<String> KAFKA_COLUMNS = Arrays.asList("topic", "partition", "offset");

  private AlreadyWrittenRows() {}

  static Dataset<Row> drop(Dataset<Row> batch, Map<TopicPartition, Long> dropBelow, String table) {
    List<String> columns = Arrays.asList(batch.schema().fieldNames());
    if (!columns.containsAll(KAFKA_COLUMNS)) {
      Map.Entry<TopicPartition, Long> first = dropBelow.entrySet().iterator().next();
      throw new ZdlException(ZdlErrors.SINK_OVERLAP_UNDECIDABLE, String.format(
          "This batch covers offsets of topic %s partition %d below %d that table %s already holds, and it also "
              + "holds new offsets. To write only the new rows, zdl-delta needs the zdl-kafka columns %s in the "
              + "written rows, and they are not all there (columns: %s). Keep those columns, or restart the query "
              + "with startingOffsetsFromTable=%s so that batches never overlap the table.",
          first.getKey().topic(), first.getKey().partition(), first.getValue(), table, KAFKA_COLUMNS, columns, table));
    }
    Column old = lit(false);
    for (Map.Entry<TopicPartition, Long> e : dropBelow.entrySet()) {
      old = old.or(col("topic").equalTo(e.getKey().topic())
          .and(col("partition").equalTo(e.getKey().partition()))
          .and(col("offset").lt(e.getValue())));
    }
    // the batch's plan is a streaming one, which Spark refuses to extend; the batch's own executed rows
    // as a plain DataFrame can be filtered, as Spark does for foreachBatch (only an overlap gets here)
    Dataset<Row> rows = batch.sparkSession().internalCreateDataFrame(batch.queryExecution().toRdd(), batch.schema(),
        false);
    return rows.where(old.unary_$bang());
  }
}
