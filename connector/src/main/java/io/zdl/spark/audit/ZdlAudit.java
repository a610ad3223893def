package io.zdl.spark.audit;

import io.delta.tables.DeltaTable;
import io.zdl.spark.api.PublicApi;
import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.metadata.AdminOffsetReader;
import io.zdl.spark.kafka.metadata.TopicSubscription;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Public entry of the audit: reconciles a Kafka topic with a zdl-delta table. Per partition it
 * reports the offset ranges the table holds, its gaps (recorded losses, transaction gaps,
 * unexplained), its duplicates, and what is still ahead in Kafka.
 *
 * <pre>
 * AuditReport r = ZdlAudit.run(spark, "/tables/events", options); // options: kafka.bootstrap.servers, ...
 * System.out.println(r.toText());
 * if (!r.clean()) ...
 * </pre>
 */
@PublicApi
public final class ZdlAudit {
  /** At most this many runs of duplicated offsets are brought to the driver, over all partitions. */
  private static final int MAX_DUPLICATE_RUNS = 1000;
  private static final int ADMIN_RETRIES = 3;
  private static final long ADMIN_RETRY_INTERVAL_MS = 1000;

  private ZdlAudit() {}

  /**
   * Audits {@code tablePathOrName} (a location, or a catalog table name without '/').
   *
   * @param options {@code kafka.bootstrap.servers} (required), other {@code kafka.*} consumer settings, and the
   *     options of {@link AuditOptions}
   * @throws io.zdl.spark.error.ZdlException {@code ZDL_INVALID_OPTION} naming a bad option or table
   */
  public static AuditReport run(SparkSession spark, String tablePathOrName, Map<String, String> options) {
    return run(spark, AuditOptions.parse(tablePathOrName, options));
  }

  static AuditReport run(SparkSession spark, AuditOptions o) {
    DeltaTable table = open(spark, o.table());
    TableHistory history = TableHistory.read(spark, table, o.sinkId());
    Dataset<Row> rows = table.toDF();
    String noRowLevel = RowScan.missingColumns(rows.schema());

    List<String> topics = new ArrayList<>(o.topics());
    Set<PartitionKey> keys = new TreeSet<>();
    for (PartitionKey k : history.partitions().keySet()) {
      if (topics.isEmpty() || topics.contains(k.topic)) {
        keys.add(k);
      }
    }
    // with a sink id, rows of other sinks' topics are not this audit's business
    List<String> rowTopics = new ArrayList<>(topics);
    if (rowTopics.isEmpty() && o.sinkId() != null) {
      for (PartitionKey k : keys) {
        if (!rowTopics.contains(k.topic)) {
          rowTopics.add(k.topic);
        }
      }
    }
    Map<PartitionKey, RowScan.Held> held = new TreeMap<>();
    if (noRowLevel == null && !(o.sinkId() != null && rowTopics.isEmpty())) {
      held = RowScan.scan(rows, rowTopics, MAX_DUPLICATE_RUNS, history.notOnePerRecord());
      keys.addAll(held.keySet());
    }
    if (topics.isEmpty()) {
      for (PartitionKey k : keys) {
        if (!topics.contains(k.topic)) {
          topics.add(k.topic);
        }
      }
    }

    List<PartitionAudit> audits = new ArrayList<>();
    try (AdminOffsetReader admin = new AdminOffsetReader(o.kafka().adminParams(), TopicSubscription.topics(topics),
        IsolationLevel.READ_COMMITTED, ADMIN_RETRIES, ADMIN_RETRY_INTERVAL_MS);
        KafkaGapReader gapReader = new KafkaGapReader(o.kafka())) {
      Set<TopicPartition> inKafka = topics.isEmpty() ? Collections.<TopicPartition>emptySet() : admin.partitions();
      Map<TopicPartition, Long> logStart = admin.earliestOffsets(inKafka);
      Map<TopicPartition, Long> lastStable = admin.latestOffsets(inKafka);
      for (TopicPartition tp : inKafka) {
        keys.add(new PartitionKey(tp.topic(), tp.partition()));
      }
      for (PartitionKey k : keys) {
        TopicPartition tp = new TopicPartition(k.topic, k.partition);
        PartitionAudit p = PartitionAuditor.audit(k, history.of(k), held.get(k), noRowLevel == null);
        if (logStart.containsKey(tp)) {
          p.kafkaLogStart = logStart.get(tp);
          p.kafkaLastStable = lastStable.get(tp);
        }
        PartitionAuditor.classifyGaps(p, history.of(k), history, gapReader, o.gapCheckTimeoutMs());
        audits.add(p);
      }
    }
    return new AuditReport(o.table(), o.sinkId(), history.zdlCommits(), history.firstVersion(), noRowLevel, audits,
        o.maxListed());
  }

  /**
   * Opens the table. Not a Delta table at all: a bad {@code table} argument (exit 1). A Delta table
   * that cannot be read (a corrupt or unreadable log): the audit could not complete (exit 3).
   */
  private static DeltaTable open(SparkSession spark, String pathOrName) {
    boolean catalogTable;
    try {
      catalogTable = !pathOrName.contains("/") && spark.catalog().tableExists(pathOrName);
      if (!catalogTable && !DeltaTable.isDeltaTable(spark, pathOrName)) {
        throw ZdlErrors.invalidOption("table", pathOrName,
            "the path or catalog name of a Delta table (there is no Delta table there)");
      }
    } catch (ZdlException e) {
      throw e;
    } catch (Exception e) { // Delta's AnalysisException is checked in Java's eyes, though Scala throws it anywhere
      throw ZdlErrors.invalidOption("table", pathOrName,
          "the path or catalog name of a Delta table (" + oneLine(e.getMessage()) + ")");
    }
    try {
      return catalogTable ? DeltaTable.forName(spark, pathOrName) : DeltaTable.forPath(spark, pathOrName);
    } catch (Exception e) {
      if (catalogTable && e instanceof AnalysisException) { // e.g. a catalog table of another format
        throw ZdlErrors.invalidOption("table", pathOrName,
            "the path or catalog name of a Delta table (" + oneLine(e.getMessage()) + ")");
      }
      throw new ZdlException(ZdlErrors.AUDIT_TABLE_UNREADABLE, String.format(
          "Cannot read Delta table %s, so the audit did not complete: %s. Check that its _delta_log is intact "
              + "and readable (DESCRIBE HISTORY on it must work), then run the audit again.",
          pathOrName, oneLine(e.getMessage())), e);
    }
  }

  /** The message on one line, cut to a readable length. */
  private static String oneLine(String s) {
    if (s == null) {
      return "no message";
    }
    String line = s.replaceAll("\\s+", " ").trim();
    return line.length() <= 400 ? line : line.substring(0, 400) + "...";
  }
}
