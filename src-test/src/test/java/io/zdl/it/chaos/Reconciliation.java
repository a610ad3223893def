package io.zdl.it.chaos;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The table against everything produced. Spark reduces each row to its id and a fingerprint (key,
 * value length and SHA-256, headers), so 1 MB values are never collected. A row counts as
 * duplicated, unexpected (an aborted or unknown id), or corrupt (content differs from what its id
 * was produced with); a committed id without a row is missing.
 */
record Reconciliation(long produced, long aborted, long rowsInTable, long missing, long duplicated, long unexpected,
    long corrupt, String examples) {

  boolean exactlyOnce() {
    return missing == 0 && duplicated == 0 && unexpected == 0 && corrupt == 0 && rowsInTable == produced;
  }

  static Reconciliation of(SparkSession spark, String table, ChaosRecords records, BitSet committed, BitSet aborted) {
    return of(spark, List.of(table), records, committed, aborted);
  }

  /** {@code tables} taken together: a record must be in one of them, once. */
  static Reconciliation of(SparkSession spark, List<String> tables, ChaosRecords records, BitSet committed,
      BitSet aborted) {
    Dataset<Row> all = null;
    for (String table : tables) {
      Dataset<Row> t = spark.read().format("delta").load(table).selectExpr(
          "regexp_extract(cast(substring(value, 1, 40) as string), '^" + ChaosRecords.PREFIX + "([0-9]+):', 1) AS id",
          "key", "length(value) AS len", "sha2(value, 256) AS sha", "headers");
      all = all == null ? t : all.unionAll(t);
    }
    List<Row> rows = all == null ? List.of() : all.collectAsList();
    Map<Long, Integer> seen = new HashMap<>();
    long unexpected = 0;
    long corrupt = 0;
    List<String> examples = new ArrayList<>();
    for (Row row : rows) {
      String idText = row.isNullAt(0) ? "" : row.getString(0);
      if (idText.isEmpty()) {
        unexpected++;
        note(examples, "row without a campaign id");
        continue;
      }
      long id = Long.parseLong(idText);
      seen.merge(id, 1, Integer::sum);
      if (id > Integer.MAX_VALUE || !committed.get((int) id)) {
        unexpected++;
        note(examples, "id " + id + (id <= Integer.MAX_VALUE && aborted.get((int) id) ? " (aborted)" : "")
            + " is in the table");
        continue;
      }
      String actual = ChaosRecords.fingerprint((byte[]) row.get(1), row.getInt(2), row.getString(3), headers(row));
      if (!actual.equals(records.fingerprint(id))) {
        corrupt++;
        note(examples, "id " + id + " differs: " + actual);
      }
    }
    long duplicated = 0;
    Map<Long, Integer> dupes = new TreeMap<>();
    for (Map.Entry<Long, Integer> e : seen.entrySet()) {
      if (e.getValue() > 1) {
        duplicated += e.getValue() - 1;
        dupes.put(e.getKey(), e.getValue());
      }
    }
    if (!dupes.isEmpty()) {
      note(examples, "duplicated ids (id=count): " + first(dupes, 20));
    }
    long missing = 0;
    List<Integer> missingIds = new ArrayList<>();
    for (int id = committed.nextSetBit(0); id >= 0; id = committed.nextSetBit(id + 1)) {
      if (!seen.containsKey((long) id)) {
        missing++;
        if (missingIds.size() < 20) {
          missingIds.add(id);
        }
      }
    }
    if (!missingIds.isEmpty()) {
      note(examples, "missing ids (first 20): " + missingIds);
    }
    return new Reconciliation(committed.cardinality(), aborted.cardinality(), rows.size(), missing, duplicated,
        unexpected, corrupt, String.join("; ", examples));
  }

  private static String headers(Row row) {
    StringBuilder sb = new StringBuilder();
    if (!row.isNullAt(4)) {
      for (Row h : row.<Row>getList(4)) {
        byte[] v = h.isNullAt(1) ? null : (byte[]) h.get(1);
        sb.append(h.getString(0)).append('=').append(v == null ? "null" : java.util.HexFormat.of().formatHex(v))
            .append(';');
      }
    }
    return sb.toString();
  }

  private static void note(List<String> examples, String what) {
    if (examples.size() < 10) {
      examples.add(what);
    }
  }

  private static String first(Map<Long, Integer> m, int n) {
    return m.entrySet().stream().limit(n).map(e -> e.getKey() + "=" + e.getValue()).toList().toString();
  }
}
