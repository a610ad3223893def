package io.zdl.spark.audit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.expressions.WindowSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Row-level facts from the table's {@code topic}, {@code partition}, {@code offset} columns, computed
 * with Spark aggregations on the executors: per partition, the runs of consecutive offsets present
 * ("islands": offset minus its rank is constant along a run) and the offsets present more than once.
 * Only the runs and a bounded sample of duplicate runs reach the driver, never the rows.
 */
final class RowScan {
  /** Per partition, what the rows hold. */
  static final class Held {
    final List<Span> runs = new ArrayList<>();
    long rows;
    long duplicatedOffsets;
    long extraRows;
    final List<Span> duplicateRuns = new ArrayList<>();
    boolean duplicateRunsTruncated;
  }

  private static final List<String> COLUMNS = Arrays.asList("topic", "partition", "offset");

  private RowScan() {}

  /** Why row-level checks are impossible (no Kafka columns, or other types); null when they are possible. */
  static String missingColumns(StructType schema) {
    List<String> names = Arrays.asList(schema.fieldNames());
    List<String> missing = new ArrayList<>();
    for (String c : COLUMNS) {
      if (!names.contains(c)) {
        missing.add(c);
      }
    }
    if (!missing.isEmpty()) {
      return "the table has no column(s) " + missing;
    }
    for (StructField f : schema.fields()) {
      if (f.name().equals("topic") && !f.dataType().equals(DataTypes.StringType)
          || f.name().equals("partition") && !integral(f.dataType())
          || f.name().equals("offset") && !integral(f.dataType())) {
        return "column " + f.name() + " has type " + f.dataType().simpleString() + ", not the Kafka source's";
      }
    }
    return null;
  }

  private static boolean integral(DataType t) {
    return t.equals(DataTypes.IntegerType) || t.equals(DataTypes.LongType) || t.equals(DataTypes.ShortType);
  }

  /**
   * Scans {@code rows} (the table) restricted to {@code topics} when non-empty; at most
   * {@code maxDuplicateRuns} duplicate runs are brought back in all. Offsets in
   * {@code severalRowsAllowed} (ranges of commits that need not write one row per record, such as an
   * explode) are not counted as duplicates.
   */
  static Map<PartitionKey, Held> scan(Dataset<Row> table, List<String> topics, int maxDuplicateRuns,
      Map<PartitionKey, List<Span>> severalRowsAllowed) {
    Dataset<Row> rows = table.select(col("topic"), col("partition").cast("int").as("partition"),
        col("offset").cast("long").as("offset"))
        .where(col("topic").isNotNull().and(col("partition").isNotNull()).and(col("offset").isNotNull()));
    if (!topics.isEmpty()) {
      rows = rows.where(col("topic").isin(topics.toArray()));
    }
    // one row per distinct offset, with how many table rows carry it
    Dataset<Row> offsets = rows.groupBy("topic", "partition", "offset").agg(count(lit(1)).as("n")).cache();
    try {
      Map<PartitionKey, Held> result = new TreeMap<>();
      for (Row r : islands(offsets).collectAsList()) {
        Held h = result.computeIfAbsent(new PartitionKey(r.getString(0), r.getInt(1)), k -> new Held());
        h.runs.add(new Span(r.getLong(2), r.getLong(3) + 1));
        h.rows += r.getLong(4);
      }
      Dataset<Row> duplicated = offsets.where(col("n").gt(1).and(not(within(severalRowsAllowed))));
      for (Row r : duplicated.groupBy("topic", "partition")
          .agg(count(lit(1)), sum(col("n").minus(1))).collectAsList()) {
        Held h = result.computeIfAbsent(new PartitionKey(r.getString(0), r.getInt(1)), k -> new Held());
        h.duplicatedOffsets = r.getLong(2);
        h.extraRows = r.getLong(3);
      }
      List<Row> runs = islands(duplicated).orderBy("topic", "partition", "from")
          .limit(maxDuplicateRuns + 1).collectAsList();
      for (int i = 0; i < runs.size(); i++) {
        Row r = runs.get(i);
        Held h = result.get(new PartitionKey(r.getString(0), r.getInt(1)));
        if (i == maxDuplicateRuns) {
          h.duplicateRunsTruncated = true;
        } else {
          h.duplicateRuns.add(new Span(r.getLong(2), r.getLong(3) + 1));
        }
      }
      return result;
    } finally {
      offsets.unpersist();
    }
  }

  /** Rows whose offset lies in one of {@code spans} of its partition. */
  private static Column within(Map<PartitionKey, List<Span>> spans) {
    Column any = lit(false);
    for (Map.Entry<PartitionKey, List<Span>> e : spans.entrySet()) {
      Column inPartition = lit(false);
      for (Span s : e.getValue()) {
        inPartition = inPartition.or(col("offset").geq(s.from()).and(col("offset").lt(s.until())));
      }
      any = any.or(col("topic").equalTo(e.getKey().topic).and(col("partition").equalTo(e.getKey().partition))
          .and(inPartition));
    }
    return any;
  }

  /** Runs of consecutive offsets: topic, partition, from, last, rows. */
  private static Dataset<Row> islands(Dataset<Row> offsets) {
    WindowSpec byOffset = Window.partitionBy("topic", "partition").orderBy("offset");
    Column run = col("offset").minus(row_number().over(byOffset));
    return offsets.withColumn("run", run).groupBy("topic", "partition", "run")
        .agg(min("offset").as("from"), max("offset").as("last"), sum("n").as("rows"))
        .select("topic", "partition", "from", "last", "rows");
  }
}
