package io.zdl.spark.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zdl.spark.api.PublicApi;
import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The result of an audit: per partition, held ranges, gaps by kind, duplicates and what is ahead in
 * Kafka. {@link #toText()} for people (long lists are cut to {@code maxListed} entries and summed
 * up), {@link #toJson()} for machines (versioned, complete). Never carries Kafka settings.
 */
@PublicApi
public final class AuditReport implements Serializable {
  /** Version of the JSON written by {@link #toJson()}. */
  public static final int JSON_VERSION = 1;
  /** Exit code of a clean audit. */
  public static final int EXIT_CLEAN = 0;
  /** Exit code when the table lacks offsets nobody can explain, or holds some twice. */
  public static final int EXIT_PROBLEMS = 2;

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String table;
  private final String sinkId;
  private final int zdlCommits;
  private final long historyFirstVersion;
  private final String rowLevelUnavailable;
  private final List<PartitionAudit> partitions;
  private final int maxListed;

  AuditReport(String table, String sinkId, int zdlCommits, String rowLevelUnavailable,
      List<PartitionAudit> partitions, int maxListed) {
    this(table, sinkId, zdlCommits, 0, rowLevelUnavailable, partitions, maxListed);
  }

  AuditReport(String table, String sinkId, int zdlCommits, long historyFirstVersion, String rowLevelUnavailable,
      List<PartitionAudit> partitions, int maxListed) {
    this.table = table;
    this.sinkId = sinkId;
    this.zdlCommits = zdlCommits;
    this.historyFirstVersion = historyFirstVersion;
    this.rowLevelUnavailable = rowLevelUnavailable;
    this.partitions = Collections.unmodifiableList(partitions);
    this.maxListed = maxListed;
  }

  public String table() {
    return table;
  }

  public List<PartitionAudit> partitions() {
    return partitions;
  }

  /** The partition's audit, or null when the report has none for it. */
  public PartitionAudit partition(String topic, int partition) {
    for (PartitionAudit p : partitions) {
      if (p.topic().equals(topic) && p.partition() == partition) {
        return p;
      }
    }
    return null;
  }

  /** Whether duplicates and gaps were checked on the rows (Kafka columns present) or only on commit summaries. */
  public boolean rowLevel() {
    return rowLevelUnavailable == null;
  }

  public int zdlCommits() {
    return zdlCommits;
  }

  /**
   * The oldest version left in the table's Delta history: above 0 when Delta's log retention removed
   * the commits before it, and with them their zdl summaries.
   */
  public long historyFirstVersion() {
    return historyFirstVersion;
  }

  /** No unexplained gap and no duplicate. */
  public boolean clean() {
    for (PartitionAudit p : partitions) {
      if (!p.clean()) {
        return false;
      }
    }
    return true;
  }

  /** {@code "clean"} or {@code "problems"}, as in the JSON. */
  public String verdict() {
    return clean() ? "clean" : "problems";
  }

  /** {@link #EXIT_CLEAN} or {@link #EXIT_PROBLEMS}: what the command line exits with. */
  public int exitCode() {
    return clean() ? EXIT_CLEAN : EXIT_PROBLEMS;
  }

  public long count(ClassifiedGap.Kind kind) {
    long n = 0;
    for (PartitionAudit p : partitions) {
      n += p.gaps(kind).size();
    }
    return n;
  }

  public long duplicatedOffsets() {
    long n = 0;
    for (PartitionAudit p : partitions) {
      n += p.duplicatedOffsets();
    }
    return n;
  }

  public String toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("version", JSON_VERSION);
    root.put("table", table);
    if (sinkId == null) {
      root.putNull("sinkId");
    } else {
      root.put("sinkId", sinkId);
    }
    root.put("verdict", verdict());
    root.put("exitCode", exitCode());
    root.put("rowLevel", rowLevel());
    if (!rowLevel()) {
      root.put("rowLevelUnavailable", rowLevelUnavailable);
    }
    root.put("zdlCommits", zdlCommits);
    root.put("historyFirstVersion", historyFirstVersion);
    root.put("aheadIsolationLevel", "read_committed");
    ObjectNode totals = root.putObject("totals");
    totals.put("recordedLosses", count(ClassifiedGap.Kind.RECORDED_LOSS));
    totals.put("transactionGaps", count(ClassifiedGap.Kind.TRANSACTION_GAP));
    totals.put("unexplainedGaps", count(ClassifiedGap.Kind.UNEXPLAINED));
    totals.put("unverifiableGaps", count(ClassifiedGap.Kind.UNVERIFIABLE));
    totals.put("duplicatedOffsets", duplicatedOffsets());
    ArrayNode parts = root.putArray("partitions");
    for (PartitionAudit p : partitions) {
      ObjectNode n = parts.addObject();
      n.put("topic", p.topic());
      n.put("partition", p.partition());
      n.put("clean", p.clean());
      putOffset(n, "tableStart", p.tableStart());
      putOffset(n, "tableNext", p.tableNext());
      putOffset(n, "rows", p.rows());
      spans(n.putArray("held"), p.held());
      spans(n.putArray("heldPastNext"), p.heldPastNext());
      spans(n.putArray("consumedWithoutRowCheck"), p.consumedWithoutRowCheck());
      ObjectNode gaps = n.putObject("gaps");
      for (ClassifiedGap.Kind kind : ClassifiedGap.Kind.values()) {
        ArrayNode a = gaps.putArray(jsonName(kind));
        for (ClassifiedGap g : p.gaps(kind)) {
          ObjectNode o = a.addObject();
          span(o, g.span());
          o.put("reason", g.reason());
          if (g.code() != null) {
            o.put("code", g.code());
          }
        }
      }
      ObjectNode dups = n.putObject("duplicates");
      dups.put("offsets", p.duplicatedOffsets());
      dups.put("extraRows", p.extraRows());
      spans(dups.putArray("ranges"), p.duplicates());
      dups.put("rangesTruncated", p.duplicatesTruncated());
      ObjectNode kafka = n.putObject("kafka");
      kafka.put("present", p.inKafka());
      putOffset(kafka, "logStart", p.kafkaLogStart());
      putOffset(kafka, "lastStable", p.kafkaLastStable());
      putOffset(kafka, "ahead", p.ahead());
      spans(kafka.putArray("goneBeforeRead"), p.goneBeforeRead());
      spans(kafka.putArray("neverGot"), p.neverGot());
    }
    return root.toString();
  }

  private static String jsonName(ClassifiedGap.Kind kind) {
    switch (kind) {
      case RECORDED_LOSS:
        return "recordedLoss";
      case TRANSACTION_GAP:
        return "transaction";
      case UNEXPLAINED:
        return "unexplained";
      default:
        return "unverifiable";
    }
  }

  private static void putOffset(ObjectNode n, String field, long value) {
    if (value == PartitionAudit.UNKNOWN) {
      n.putNull(field);
    } else {
      n.put(field, value);
    }
  }

  private static void spans(ArrayNode a, List<Span> spans) {
    for (Span s : spans) {
      span(a.addObject(), s);
    }
  }

  private static void span(ObjectNode o, Span s) {
    o.put("from", s.from());
    o.put("until", s.until());
  }

  /** The report for people: one block per partition, lists cut after {@code maxListed} entries. */
  public String toText() {
    StringBuilder sb = new StringBuilder();
    sb.append("zdl audit of table ").append(table);
    sb.append(sinkId == null ? " (all zdl-delta sinks)" : " (sink id " + sinkId + ")").append('\n');
    sb.append(zdlCommits).append(" zdl-delta commit(s) read from the table's history.\n");
    if (historyFirstVersion > 0) {
      sb.append("Delta's log retention removed the commits before version ").append(historyFirstVersion)
          .append(" (history starts at version ").append(historyFirstVersion)
          .append("): gaps only they explained are unverifiable.\n");
    }
    if (rowLevel()) {
      sb.append("Row-level checks: yes (topic, partition, offset columns).\n");
    } else {
      sb.append("Row-level checks: NOT POSSIBLE, ").append(rowLevelUnavailable)
          .append("; gaps and duplicates are judged from the commit summaries only.\n");
    }
    sb.append("Ahead in Kafka counts offsets up to the last stable offset (read_committed), markers included.\n");
    for (PartitionAudit p : partitions) {
      sb.append('\n').append(p.topic()).append(" partition ").append(p.partition())
          .append(p.clean() ? "  [ok]" : "  [PROBLEM]").append('\n');
      if (p.tableNext() == PartitionAudit.UNKNOWN) {
        sb.append("  table: holds nothing of this partition");
        for (Span s : p.neverGot()) {
          sb.append("; the table never got any of ").append(s).append(" (").append(s.size())
              .append(" offset(s) in Kafka)");
        }
        sb.append('\n');
      } else {
        sb.append("  table: offsets ").append(new Span(p.tableStart(), p.tableNext()));
        if (p.rows() != PartitionAudit.UNKNOWN) {
          sb.append(", ").append(p.rows()).append(" row(s)");
        }
        sb.append('\n');
        list(sb, "  held", p.held(), maxListed);
        if (!p.consumedWithoutRowCheck().isEmpty()) {
          list(sb, "  consumed, rows not one per record (filter, explode...; trusted from the commits)",
              p.consumedWithoutRowCheck(), maxListed);
        }
      }
      if (!p.heldPastNext().isEmpty()) {
        list(sb, "  rows at or past the recorded next offset (not written by zdl)", p.heldPastNext(), maxListed);
      }
      for (ClassifiedGap.Kind kind : ClassifiedGap.Kind.values()) {
        gaps(sb, kind, p.gaps(kind));
      }
      if (p.duplicatedOffsets() > 0) {
        sb.append("  DUPLICATES: ").append(p.duplicatedOffsets()).append(" offset(s) held more than once, ")
            .append(p.extraRows()).append(" extra row(s)\n");
        list(sb, "    at", p.duplicates(), maxListed);
        if (p.duplicatesTruncated()) {
          sb.append("    (more duplicate ranges not listed)\n");
        }
      }
      if (!p.inKafka()) {
        sb.append("  kafka: the partition does not exist\n");
      } else {
        sb.append("  kafka: log start ").append(p.kafkaLogStart()).append(", last stable offset ")
            .append(p.kafkaLastStable()).append(", ahead of the table: ").append(p.ahead()).append(" offset(s)\n");
        if (p.tableNext() != PartitionAudit.UNKNOWN) {
          for (Span s : p.neverGot()) {
            sb.append("  kafka holds ").append(s).append(" below the table's first offset: the table never got them ")
                .append("(the query started past them)\n");
          }
        }
        for (Span s : p.goneBeforeRead()) {
          sb.append("  kafka dropped ").append(s).append(" before the table got them (the query will meet them as data loss)\n");
        }
      }
    }
    sb.append('\n').append(clean() ? "RESULT: clean" : "RESULT: PROBLEMS").append(" (")
        .append(count(ClassifiedGap.Kind.UNEXPLAINED)).append(" unexplained gap(s), ")
        .append(duplicatedOffsets()).append(" duplicated offset(s), ")
        .append(count(ClassifiedGap.Kind.RECORDED_LOSS)).append(" recorded loss(es), ")
        .append(count(ClassifiedGap.Kind.TRANSACTION_GAP)).append(" transaction gap(s), ")
        .append(count(ClassifiedGap.Kind.UNVERIFIABLE)).append(" unverifiable gap(s)); exit code ")
        .append(exitCode()).append('\n');
    return sb.toString();
  }

  private void gaps(StringBuilder sb, ClassifiedGap.Kind kind, List<ClassifiedGap> gaps) {
    if (gaps.isEmpty()) {
      return;
    }
    long offsets = 0;
    for (ClassifiedGap g : gaps) {
      offsets += g.span().size();
    }
    sb.append("  ").append(kind.name().toLowerCase(Locale.ROOT).replace('_', ' ')).append(": ")
        .append(gaps.size()).append(" range(s), ").append(offsets).append(" offset(s)\n");
    for (int i = 0; i < gaps.size() && i < maxListed; i++) {
      ClassifiedGap g = gaps.get(i);
      sb.append("    ").append(g.span()).append(' ').append(g.reason());
      if (g.code() != null) {
        sb.append(" [").append(g.code()).append(']');
      }
      sb.append('\n');
    }
    if (gaps.size() > maxListed) {
      sb.append("    ... and ").append(gaps.size() - maxListed).append(" more (--json lists all)\n");
    }
  }

  private static void list(StringBuilder sb, String label, List<Span> spans, int max) {
    sb.append(label).append(": ");
    if (spans.isEmpty()) {
      sb.append("none");
    }
    for (int i = 0; i < spans.size() && i < max; i++) {
      sb.append(i == 0 ? "" : " ").append(spans.get(i));
    }
    if (spans.size() > max) {
      sb.append(" ... and ").append(spans.size() - max).append(" more range(s)");
    }
    sb.append('\n');
  }

  @Override
  public String toString() {
    return "AuditReport[" + table + ", " + (clean() ? "clean" : "problems") + "]";
  }
}
