package io.zdl.spark.delta;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.plan.OffsetRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once appends of zdl-kafka batches to a Delta table. Each batch is one Delta commit that
 * holds its files and, per topic-partition, the next Kafka offset now in the table; a replayed,
 * retried or overlapping batch writes only offsets the table does not hold yet. Batches of stateful
 * queries (aggregations, dropDuplicates, stream-stream joins) are not one row per record: they are
 * committed once per query and batch id instead ({@link StatefulBatchCommit}).
 */
final class ZdlDeltaSink implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(ZdlDeltaSink.class);
  /** Attempts of a batch that keeps losing the race for the table's positions (public path, other sink ids). */
  private static final int MAX_ATTEMPTS = 10;

  private final DeltaSinkOptions options;
  private final List<String> partitionColumns;
  private final SparkSession session; // the session that starts the query (batches run in a clone of it)
  private String location; // resolved on the first batch when writing a catalog table
  private String queryId; // set once the query's plan is checked, on the first batch

  ZdlDeltaSink(DeltaSinkOptions options, List<String> partitionColumns, SparkSession session) {
    this.options = options;
    this.partitionColumns = partitionColumns;
    this.session = session;
  }

  @Override
  public void addBatch(long batchId, Dataset<Row> data) {
    if (queryId == null) {
      RunningQuery query = RunningQuery.of(session, this);
      QueryShape.requireOnlyZdlKafkaSources(query.logicalPlan(), options.table());
      queryId = query.id();
    }
    List<OffsetRange> ranges = KafkaBatchRanges.of(data);
    List<TopicPartition> partitions = new ArrayList<>();
    for (OffsetRange r : ranges) {
      partitions.add(r.topicPartition());
    }
    SparkSession spark = data.sparkSession();
    if (location == null) {
      location = options.path() != null ? options.path()
          : DeltaTableAccess.locationOf(spark, options.tableName(), data.schema(), partitionColumns,
              options.deltaAccess());
    }
    DeltaTableAccess table = new DeltaTableAccess(spark, location, options.deltaAccess());
    table.prepare(data.schema(), partitionColumns, options.mergeSchema());
    Map<String, String> topicIds = BatchTopicIds.of(data);
    for (int attempt = 1; ; attempt++) {
      try {
        write(table, batchId, data, ranges, partitions, topicIds);
        return;
      } catch (PublicCommitPath.CommitRaced e) {
        // public path only: a writer of other partitions (or another sink id) committed the table's positions first
        if (attempt >= MAX_ATTEMPTS) {
          throw new ZdlException(ZdlErrors.SINK_CONCURRENT_WRITER, String.format(
              "Batch %d could not commit to %s in %d attempts: other writers committed first each time (%s). Nothing "
                  + "of this batch was committed; restart the query.", batchId, options.table(), attempt,
              e.getMessage()), e);
        }
        LOG.info("Batch {} plans again for {}: {}", batchId, options.table(), e.getMessage());
      }
    }
  }

  private void write(DeltaTableAccess table, long batchId, Dataset<Row> data, List<OffsetRange> ranges,
      List<TopicPartition> partitions, Map<String, String> topicIds) {
    DeltaTableAccess.Transaction txn = table.begin(options.sinkId(), partitions);
    SinkPositionsCheck.check(txn.positions(), options.sinkId(), ranges, topicIds, options.allowOtherSinkIds(),
        options.table());
    if (QueryShape.stateful(data.queryExecution().executedPlan())) {
      long version = StatefulBatchCommit.write(txn, options, queryId, batchId, data, ranges, topicIds,
          plan -> () -> summary(batchId, plan, data));
      if (version >= 0) {
        LOG.info("Batch {} of stateful query {} committed to {} as version {}: {}", batchId, queryId,
            options.table(), version, ranges);
      }
      return;
    }
    WritePlan plan = OverlapGuard.plan(ranges, txn.tableNext(), options.allowOffsetGaps(), options.table());
    if (plan.nothingToCommit()) {
      LOG.info("Batch {} adds nothing to {}: the table already holds its Kafka offsets", batchId, options.table());
      return;
    }
    if (!plan.gaps().isEmpty()) {
      LOG.warn("Batch {} leaves gaps in {} (allowOffsetGaps=true): {}", batchId, options.table(), plan.gaps());
    }
    Dataset<Row> rows = plan.writesAllRows() ? data : AlreadyWrittenRows.drop(data, plan.dropBelow(), options.table());
    // the summary is made after the rows are written: only then are the ranges executors skipped known
    CommitSummary[] summary = new CommitSummary[1];
    long version = txn.commit(rows, plan.newNextOffsets(), topicIds, () -> {
      summary[0] = summary(batchId, plan, data);
      return summary[0];
    }, options.writerOptions());
    LOG.info("Batch {} committed to {} as version {}: {}", batchId, options.table(), version, plan.added());
    if (!summary[0].lost().isEmpty()) {
      LOG.warn("Batch {} committed to {} without offsets the source skipped as lost (recorded in the commit): {}",
          batchId, options.table(), summary[0].lost());
    }
  }

  private CommitSummary summary(long batchId, WritePlan plan, Dataset<Row> data) {
    return new CommitSummary(options.sinkId(), batchId, plan.added(), plan.gaps(),
        KafkaBatchRanges.skipped(data, batchId), RecordRowShape.oneRowPerRecord(data));
  }

  @Override
  public String toString() {
    return "ZdlDeltaSink[" + options.table() + ", sinkId=" + options.sinkId() + "]";
  }
}
