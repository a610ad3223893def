package io.zdl.spark.audit;

import io.zdl.spark.api.PublicApi;
import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.kafka.config.KafkaParams;
import io.zdl.spark.kafka.config.OptionReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * The audit's options, parsed and validated once: keys, defaults and checks all live here. Keys are
 * case-insensitive; {@code kafka.*} settings go to {@link KafkaParams} and are never printed.
 */
@PublicApi
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
    OptionReader own = OptionReader.of("the audit", options);
    own.checkNames(ALL, Collections.<String>emptyList(), false);
    List<String> topics = new ArrayList<>();
    String topicList = own.get(TOPIC);
    if (topicList != null) {
      for (String t : topicList.split(",")) {
        if (!t.trim().isEmpty()) {
          topics.add(t.trim());
        }
      }
      if (topics.isEmpty()) {
        throw ZdlErrors.invalidOption(TOPIC, topicList, "one or more topic names, comma-separated");
      }
    }
    String sinkId = own.get(SINK_ID);
    if (sinkId != null && (sinkId.trim().isEmpty() || sinkId.contains("/"))) {
      throw ZdlErrors.invalidOption(SINK_ID, sinkId, "a non-empty sink id without '/'");
    }
    Long timeout = own.positiveLong(GAP_CHECK_TIMEOUT_MS);
    Integer maxListed = own.intInRange(MAX_LISTED, 1, Integer.MAX_VALUE, "a positive whole number");
    return new AuditOptions(table.trim(), Collections.unmodifiableList(topics), sinkId,
        timeout == null ? GAP_CHECK_TIMEOUT_MS_DEFAULT : timeout, maxListed == null ? MAX_LISTED_DEFAULT : maxListed,
        KafkaParams.fromOptions(options));
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
