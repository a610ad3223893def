package io.zdl.spark.delta;

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
 * retried or overlapping batch writes only offsets the table does not hold yet.
 */
final class ZdlDeltaSink implements Sink {
  private static final Logger LOG = LoggerFactory.getLogger(ZdlDeltaSink.class);

  private final DeltaSinkOptions options;
  private final List<String> partitionColumns;
  private String location; // resolved on the first batch when writing a catalog table

  ZdlDeltaSink(DeltaSinkOptions options, List<String> partitionColumns) {
    this.options = options;
    this.partitionColumns = partitionColumns;
  }

  @Override
  public void addBatch(long batchId, Dataset<Row> data) {
    List<OffsetRange> ranges = KafkaBatchRanges.of(data);
    List<TopicPartition> partitions = new ArrayList<>();
    for (OffsetRange r : ranges) {
      partitions.add(r.topicPartition());
    }
    SparkSession spark = data.sparkSession();
    if (location == null) {
      location = options.path() != null ? options.path()
          : DeltaTableAccess.locationOf(spark, options.tableName(), data.schema(), partitionColumns);
    }
    DeltaTableAccess table = new DeltaTableAccess(spark, location);
    table.prepare(data.schema(), partitionColumns, options.mergeSchema());
    DeltaTableAccess.Transaction txn = table.begin(options.sinkId(), partitions);
    Map<String, String> topicIds = BatchTopicIds.of(data);
    SinkPositionsCheck.check(txn.positions(), options.sinkId(), ranges, topicIds, options.allowOtherSinkIds(),
        options.table());
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
      summary[0] = new CommitSummary(options.sinkId(), batchId, plan.added(), plan.gaps(),
          KafkaBatchRanges.skipped(data, batchId), RecordRowShape.oneRowPerRecord(data));
      return summary[0];
    }, options.writerOptions());
    LOG.info("Batch {} committed to {} as version {}: {}", batchId, options.table(), version, plan.added());
    if (!summary[0].lost().isEmpty()) {
      LOG.warn("Batch {} committed to {} without offsets the source skipped as lost (recorded in the commit): {}",
          batchId, options.table(), summary[0].lost());
    }
  }

  @Override
  public String toString() {
    return "ZdlDeltaSink[" + options.table() + ", sinkId=" + options.sinkId() + "]";
  }
}
