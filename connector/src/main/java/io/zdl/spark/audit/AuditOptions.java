package io.zdl.spark.audit;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.kafka.config.KafkaParams;
import io.zdl.spark.kafka.config.KafkaSourceOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The audit's options, parsed and validated once: keys, defaults and checks all live here. Keys are
 * case-insensitive; {@code kafka.*} settings go to {@link KafkaParams} and are never printed.
 */
public final class AuditOptions {
  /** Comma-separated topics to audit; default: every topic the table holds. */
  public static final String TOPIC = "topic";
  /** Only commits of this zdl-delta sink id; default: the commits of every zdl-delta sink. */
  public static final String SINK_ID = "sinkId";
  /** How long the read of one partition's gaps in Kafka may take, in ms. */
  public static final String GAP_CHECK_TIMEOUT_MS = "gapCheckTimeoutMs";
  public static final long GAP_CHECK_TIMEOUT_MS_DEFAULT = 60_000;
  /** How many ranges of each kind the text report lists per partition before it summarises the rest. */
  public static final String MAX_LISTED = "maxListed";
  public static final int MAX_LISTED_DEFAULT = 10;

  /** Every audit option besides the {@code kafka.*} settings. */
  public static final List<String> ALL = Collections.unmodifiableList(
      Arrays.asList(TOPIC, SINK_ID, GAP_CHECK_TIMEOUT_MS, MAX_LISTED));

  private final String table;
  private final List<String> topics;
  private final String sinkId;
  private final long gapCheckTimeoutMs;
  private final int maxListed;
  private final KafkaParams kafka;

  private AuditOptions(String table, List<String> topics, String sinkId, long gapCheckTimeoutMs, int maxListed,
      KafkaParams kafka) {
    this.table = table;
    this.topics = topics;
    this.sinkId = sinkId;
    this.gapCheckTimeoutMs = gapCheckTimeoutMs;
    this.maxListed = maxListed;
    this.kafka = kafka;
  }

  /** @throws io.zdl.spark.error.ZdlException {@code ZDL_INVALID_OPTION} naming the option at fault */
  public static AuditOptions parse(String table, Map<String, String> options) {
    if (table == null || table.trim().isEmpty()) {
      throw ZdlErrors.invalidOption("table", "it is required: the path or catalog name of the zdl-delta table");
    }
    Map<String, String> own = new TreeMap<>();
    for (Map.Entry<String, String> e : options.entrySet()) {
      String key = e.getKey().toLowerCase(Locale.ROOT);
      if (key.startsWith(KafkaSourceOptions.KAFKA_PREFIX)) {
        continue;
      }
      String known = null;
      for (String k : ALL) {
        if (k.toLowerCase(Locale.ROOT).equals(key)) {
          known = k;
        }
      }
      if (known == null) {
        throw ZdlErrors.invalidOption(e.getKey(), "the audit knows no such option; it takes " + ALL
            + " and kafka.* settings");
      }
      own.put(known, e.getValue());
    }
    List<String> topics = new ArrayList<>();
    if (own.containsKey(TOPIC)) {
      for (String t : own.get(TOPIC).split(",")) {
        if (!t.trim().isEmpty()) {
          topics.add(t.trim());
        }
      }
      if (topics.isEmpty()) {
        throw ZdlErrors.invalidOption(TOPIC, own.get(TOPIC), "one or more topic names, comma-separated");
      }
    }
    String sinkId = own.get(SINK_ID);
    if (sinkId != null && (sinkId.trim().isEmpty() || sinkId.contains("/"))) {
      throw ZdlErrors.invalidOption(SINK_ID, sinkId, "a non-empty sink id without '/'");
    }
    long timeout = positiveLong(own, GAP_CHECK_TIMEOUT_MS, GAP_CHECK_TIMEOUT_MS_DEFAULT);
    long maxListed = positiveLong(own, MAX_LISTED, MAX_LISTED_DEFAULT);
    if (maxListed > Integer.MAX_VALUE) {
      throw ZdlErrors.invalidOption(MAX_LISTED, own.get(MAX_LISTED), "a positive whole number");
    }
    return new AuditOptions(table.trim(), Collections.unmodifiableList(topics), sinkId, timeout, (int) maxListed,
        KafkaParams.fromOptions(options));
  }

  private static long positiveLong(Map<String, String> own, String key, long dflt) {
    String v = own.get(key);
    if (v == null) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v.trim());
      if (n > 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ZdlErrors.invalidOption(key, v, "a positive whole number");
  }

  public String table() {
    return table;
  }

  /** Empty: every topic the table holds. */
  public List<String> topics() {
    return topics;
  }

  /** Null: every zdl-delta sink's commits. */
  public String sinkId() {
    return sinkId;
  }

  public long gapCheckTimeoutMs() {
    return gapCheckTimeoutMs;
  }

  public int maxListed() {
    return maxListed;
  }

  KafkaParams kafka() {
    return kafka;
  }
}
