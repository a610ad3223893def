package io.zdl.spark.delta;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.plan.OffsetRange;
import io.zdl.spark.line.SparkLine;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch of a stateful query (aggregation, dropDuplicates, stream-stream join): its rows are not
 * one per Kafka record, so offsets cannot filter them. The commit is idempotent per (sink id, query id,
 * batch id), as Delta's own sink is with {@code txn(queryId, batchId)}: the batch id is a {@code txn}
 * entry in the same commit as the rows and the Kafka positions. Every batch runs its plan, even a
 * replay that writes nothing, so the query's state stores advance as Spark expects.
 */
final class StatefulBatchCommit {
  private static final Logger LOG = LoggerFactory.getLogger(StatefulBatchCommit.class);

  private StatefulBatchCommit() {}

  /** Writes the batch unless this query committed it already; returns the table version, or -1 for a replay. */
  static long write(DeltaTableAccess.Transaction txn, DeltaSinkOptions options, String queryId, long batchId,
      Dataset<Row> data, List<OffsetRange> ranges, Map<String, String> topicIds,
      Function<WritePlan, Supplier<CommitSummary>> summary) {
    long committed = txn.committedBatch(queryId); // -1: this query never committed through this sink
    // the batch's executed rows: the incremental plan runs with its state stores, as for foreachBatch
    SparkSession spark = data.sparkSession();
    Dataset<Row> rows = SparkLine.dataFrame(spark, data.queryExecution().toRdd(), data.schema());
    if (committed >= batchId) {
      data.queryExecution().toRdd().count();
      LOG.info("Batch {} of query {} is already in {} (up to batch {}): replayed for its state only, nothing written",
          batchId, queryId, options.table(), committed);
      return -1;
    }
    Map<TopicPartition, Long> tableNext = txn.tableNext();
    if (committed < 0 && batchId == 0 && !tableNext.isEmpty()) {
      throw new ZdlException(ZdlErrors.SINK_STATEFUL_OVERLAP, String.format(
          "This stateful query (aggregation, dropDuplicates or stream-stream join) starts a new checkpoint, but "
              + "table %s already holds Kafka offsets %s of sink id '%s', written under another checkpoint. The "
              + "query's state (open windows, seen keys, buffered join rows) lived in that checkpoint, not in the "
              + "table, so continuing from the table (startingOffsetsFromTable) would write wrong results and "
              + "re-reading would write results twice. Nothing was written. Restart with the checkpoint that wrote "
              + "the table, or write to a new table or with a new sinkId.",
          options.table(), tableNext, options.sinkId()));
    }
    WritePlan plan = OverlapGuard.plan(ranges, tableNext, options.allowOffsetGaps(), options.table());
    if (!plan.writesAllRows()) {
      throw new ZdlException(ZdlErrors.SINK_STATEFUL_OVERLAP, String.format(
          "Batch %d of this stateful query reads Kafka offsets that table %s already holds (%s: next offsets "
              + "%s) although this query (id %s) has not committed the batch: another checkpoint with sink id '%s' "
              + "wrote them. A stateful query's rows are not one per Kafka record, so they cannot be filtered by "
              + "offset. Nothing was written. Restart with the checkpoint that wrote the table, or write to a new "
              + "table or with a new sinkId.",
          batchId, options.table(), plan.dropBelow().keySet(), tableNext, queryId, options.sinkId()));
    }
    return txn.commitBatch(queryId, batchId, rows, plan.newNextOffsets(), topicIds, summary.apply(plan),
        options.writerOptions());
  }
}
