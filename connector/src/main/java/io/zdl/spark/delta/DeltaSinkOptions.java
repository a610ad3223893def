package io.zdl.spark.delta;

import io.zdl.spark.api.PublicApi;
import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.kafka.config.OptionReader;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** Options of the {@code zdl-delta} sink, read and validated once when the query starts. */
@PublicApi
public final class DeltaSinkOptions {
  /** Table location (what {@code start(path)} sets). Exactly one of path and tableName. */
  public static final String PATH = "path";
  /** A catalog table to write (created on the first batch if missing), instead of a path. */
  public static final String TABLE_NAME = "tableName";
  /**
   * Names this writer's Kafka offsets in the table; stable across checkpoint losses. Two queries on
   * one table need different sink ids if they read the same topic-partitions; on different topics they
   * may share one. Letters, digits, '.', '_' and '-'. Default "default".
   */
  public static final String SINK_ID = "sinkId";
  public static final String SINK_ID_DEFAULT = "default";
  /** Accept a batch that starts past the table's end for a partition (leaving a gap). Default false. */
  public static final String ALLOW_OFFSET_GAPS = "allowOffsetGaps";
  /**
   * Accept a table where other sink ids hold positions for the topic-partitions this query writes:
   * a deliberate second copy of the same records under another sink id. Default false.
   */
  public static final String ALLOW_OTHER_SINK_IDS = "allowOtherSinkIds";
  /** Delta's option: add new columns of the query to the table. Default false. */
  public static final String MERGE_SCHEMA = "mergeSchema";

  /**
   * How zdl-delta commits: {@code internal} (Delta's transaction API, a txn entry per partition),
   * {@code public} (Delta's public writer and history only, positions in userMetadata), or {@code auto}:
   * internal where this runtime's Delta offers it, public elsewhere (e.g. Databricks). Default auto.
   */
  public static final String DELTA_ACCESS = "deltaAccess";

  /**
   * Every option above; other options are passed to Delta's writer, except a name one typo away from one of
   * these, which is refused (it would leave the option meant at its default without a word).
   */
  public static final java.util.List<String> ALL = java.util.Collections.unmodifiableList(java.util.Arrays.asList(
      PATH, TABLE_NAME, SINK_ID, ALLOW_OFFSET_GAPS, ALLOW_OTHER_SINK_IDS, MERGE_SCHEMA, DELTA_ACCESS));

  private static final Pattern SINK_ID_PATTERN = Pattern.compile("[A-Za-z0-9._-]{1,100}");
  /** Spark's own options, not Delta writer options. */
  private static final java.util.List<String> SPARK_OPTIONS = Arrays.asList("path", "checkpointLocation", "queryName",
      "tableName");

  private final String path; // null when tableName is set
  private final String tableName; // null when path is set
  private final String sinkId;
  private final boolean allowOffsetGaps;
  private final boolean allowOtherSinkIds;
  private final boolean mergeSchema;
  private final DeltaAccess deltaAccess;
  private final Map<String, String> writerOptions;

  private DeltaSinkOptions(Map<String, String> options) {
    OptionReader opts = OptionReader.of("zdl-delta", options);
    opts.checkNames(ALL, SPARK_OPTIONS, true);
    this.path = blankToNull(opts.get(PATH));
    this.tableName = blankToNull(opts.get(TABLE_NAME));
    if (path == null && tableName == null) {
      throw ZdlErrors.invalidOption(PATH, "a table is required: writeStream.format(\"zdl-delta\").start(path), "
          + "or option(\"tableName\", \"db.table\").start()");
    }
    if (path != null && tableName != null) {
      throw ZdlErrors.conflicting(TABLE_NAME, PATH);
    }
    this.sinkId = opts.get(SINK_ID, SINK_ID_DEFAULT);
    if (!SINK_ID_PATTERN.matcher(sinkId).matches()) {
      throw ZdlErrors.invalidOption(SINK_ID, sinkId, "1 to 100 letters, digits, '.', '_' or '-'");
    }
    this.allowOffsetGaps = opts.bool(ALLOW_OFFSET_GAPS, false);
    this.allowOtherSinkIds = opts.bool(ALLOW_OTHER_SINK_IDS, false);
    this.mergeSchema = opts.bool(MERGE_SCHEMA, false);
    this.deltaAccess = DeltaAccess.of(opts.choice(DELTA_ACCESS, DeltaAccess.AUTO.toString(), DeltaAccess.names()));
    TreeMap<String, String> writer = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    writer.putAll(options);
    for (String key : SPARK_OPTIONS) {
      writer.remove(key);
    }
    writer.remove(SINK_ID);
    writer.remove(ALLOW_OFFSET_GAPS);
    writer.remove(ALLOW_OTHER_SINK_IDS);
    writer.remove(DELTA_ACCESS);
    this.writerOptions = writer;
  }

  public static DeltaSinkOptions parse(Map<String, String> options) {
    return new DeltaSinkOptions(options);
  }

  private static String blankToNull(String s) {
    return s == null || s.trim().isEmpty() ? null : s.trim();
  }

  /** The table's location, or null when the sink writes a catalog table ({@link #tableName()}). */
  public String path() {
    return path;
  }

  /** The catalog table to write, or null when the sink writes a path. */
  public String tableName() {
    return tableName;
  }

  /** The table as users named it, for messages. */
  public String table() {
    return path != null ? path : tableName;
  }

  public String sinkId() {
    return sinkId;
  }

  public boolean allowOffsetGaps() {
    return allowOffsetGaps;
  }

  public boolean allowOtherSinkIds() {
    return allowOtherSinkIds;
  }

  public boolean mergeSchema() {
    return mergeSchema;
  }

  public DeltaAccess deltaAccess() {
    return deltaAccess;
  }

  /** Options passed on to Delta's writer. */
  public Map<String, String> writerOptions() {
    return writerOptions;
  }
}
