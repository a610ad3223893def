package io.zdl.it.support;

import io.delta.tables.DeltaTable;
import io.zdl.it.support.TestRecords.Produced;
import io.zdl.spark.delta.CommitSummary;
import io.zdl.spark.kafka.plan.OffsetRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** Reads what zdl-delta recorded in a table, for assertions. */
public final class ZdlTables {
  private ZdlTables() {}

  /**
   * The zdl commit summaries in the table's history, oldest first; each must be a streaming update (the
   * internal path) or a write carrying the table's positions (the public path, Delta's public writer).
   */
  public static List<CommitSummary> zdlCommits(SparkSession spark, String table) {
    List<Row> history = DeltaTable.forPath(spark, table).history()
        .select("version", "operation", "userMetadata").orderBy("version").collectAsList();
    List<CommitSummary> out = new ArrayList<>();
    for (Row h : history) {
      CommitSummary s = CommitSummary.fromJson(h.isNullAt(2) ? null : h.getString(2));
      if (s != null) {
        boolean publicPath = "WRITE".equals(h.getString(1)) && h.getString(2).contains("\"positions\"");
        if (!"STREAMING UPDATE".equals(h.getString(1)) && !publicPath) {
          throw new AssertionError("zdl commit " + h.getLong(0) + " is a " + h.getString(1));
        }
        out.add(s);
      }
    }
    return out;
  }

  /** How many Kafka offsets the commits added in all. */
  public static long addedOffsets(List<CommitSummary> commits) {
    return commits.stream().flatMap(c -> c.added().stream()).mapToLong(OffsetRange::size).sum();
  }

  /** Topic to partition to the offset after the last produced record, in the shape TableOffsets gives. */
  public static Map<String, Map<Integer, Long>> nextOffsets(List<Produced> produced) {
    Map<String, Map<Integer, Long>> next = new TreeMap<>();
    for (Produced p : produced) {
      next.computeIfAbsent(p.topic(), t -> new TreeMap<>()).merge(p.partition(), p.offset() + 1, Math::max);
    }
    return next;
  }
}
