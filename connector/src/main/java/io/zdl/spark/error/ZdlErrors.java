package io.zdl.spark.error;

import io.zdl.spark.api.PublicApi;
import java.util.Collection;

/** Factories for the errors zdl raises, one place for codes and wording. */
@PublicApi
public final class ZdlErrors {
  public static final String INVALID_OPTION = "ZDL_INVALID_OPTION";
  public static final String CONFLICTING_OPTIONS = "ZDL_CONFLICTING_OPTIONS";
  public static final String UNSUPPORTED_KAFKA_OPTION = "ZDL_UNSUPPORTED_KAFKA_OPTION";
  public static final String OFFSET_VERSION_UNSUPPORTED = "ZDL_OFFSET_VERSION_UNSUPPORTED";
  public static final String OFFSET_CORRUPT = "ZDL_OFFSET_CORRUPT";
  public static final String PARTITIONS_NOT_FOUND = "ZDL_PARTITIONS_NOT_FOUND";
  public static final String OFFSET_LOOKUP_FAILED = "ZDL_KAFKA_OFFSET_LOOKUP_FAILED";
  public static final String FETCH_TIMEOUT = "ZDL_KAFKA_FETCH_TIMEOUT";
  public static final String DATA_LOSS_OUT_OF_RANGE = "ZDL_DATA_LOSS.OFFSETS_OUT_OF_RANGE";
  public static final String DATA_LOSS_PARTITION_GONE = "ZDL_DATA_LOSS.PARTITION_GONE";
  public static final String DATA_LOSS_LOG_TRUNCATED = "ZDL_DATA_LOSS.LOG_TRUNCATED";
  public static final String DATA_LOSS_TOPIC_RECREATED = "ZDL_DATA_LOSS.TOPIC_RECREATED";
  public static final String SINK_OFFSET_GAP = "ZDL_SINK_OFFSET_GAP";
  public static final String SINK_OVERLAP_UNDECIDABLE = "ZDL_SINK_OVERLAP_UNDECIDABLE";
  public static final String SINK_NO_KAFKA_SOURCE = "ZDL_SINK_NO_KAFKA_SOURCE";
  /** The query also reads a streaming source other than zdl-kafka: its rows have no Kafka offsets. */
  public static final String SINK_FOREIGN_SOURCE = "ZDL_SINK_FOREIGN_SOURCE";
  /** A stateful query's batch reads offsets the table got under another checkpoint: its state is not in the table. */
  public static final String SINK_STATEFUL_OVERLAP = "ZDL_SINK_STATEFUL_OVERLAP";
  public static final String SINK_SCHEMA_MISMATCH = "ZDL_SINK_SCHEMA_MISMATCH";
  public static final String SINK_UNSUPPORTED = "ZDL_SINK_UNSUPPORTED";
  public static final String SINK_CONCURRENT_WRITER = "ZDL_SINK_CONCURRENT_WRITER";
  /** The table expires Delta txn entries (delta.setTransactionRetentionDuration): positions could vanish. */
  public static final String SINK_TRANSACTION_RETENTION = "ZDL_SINK_TRANSACTION_RETENTION";
  /** The table uses a Delta table feature the sink cannot write correctly (catalogManaged), or this runtime's Delta lacks. */
  public static final String SINK_TABLE_FEATURE_UNSUPPORTED = "ZDL_SINK_TABLE_FEATURE_UNSUPPORTED";
  /** Another sink id holds positions for the same topic-partitions in the table. */
  public static final String SINK_SHARED_PARTITIONS = "ZDL_SINK_SHARED_PARTITIONS";
  /** The table's positions for a topic belong to an earlier topic of the same name (another topic id). */
  public static final String SINK_TOPIC_RECREATED = "ZDL_SINK_TOPIC_RECREATED";
  public static final String DELTA_UNAVAILABLE = "ZDL_DELTA_UNAVAILABLE";
  public static final String LOSS_LEDGER_UNAVAILABLE = "ZDL_LOSS_LEDGER_UNAVAILABLE";
  public static final String DELTA_INTERNALS_UNSUPPORTED = "ZDL_DELTA_INTERNALS_UNSUPPORTED";
  /** The table keeps its positions where the chosen path (deltaAccess) cannot read them. */
  public static final String DELTA_ACCESS_MISMATCH = "ZDL_DELTA_ACCESS_MISMATCH";
  /** Public path: Delta's log retention removed every commit that held the table's positions. */
  public static final String SINK_POSITIONS_EXPIRED = "ZDL_SINK_POSITIONS_EXPIRED";
  /** The S3 endpoint ignored If-None-Match: the zdl S3 log store cannot commit safely there. */
  public static final String S3_CONDITIONAL_WRITE_UNSUPPORTED = "ZDL_S3_CONDITIONAL_WRITE_UNSUPPORTED";
  /** A commit file's conditional PUT kept getting 409 (another conditional write in flight) past the retries. */
  public static final String S3_COMMIT_CONFLICT = "ZDL_S3_COMMIT_CONFLICT";
  /** The zdl S3 log store's client, AWS SDK v1, is not on the classpath (Hadoop 3.4's S3A brings only v2). */
  public static final String S3_SDK_MISSING = "ZDL_S3_SDK_MISSING";
  /** The audit found a Delta table it cannot read (corrupt or unreadable log): it did not complete. */
  public static final String AUDIT_TABLE_UNREADABLE = "ZDL_AUDIT_TABLE_UNREADABLE";

  /** The brokers refused the client's credentials (SASL) or certificate (TLS): the query stops at once. */
  public static final String KAFKA_AUTHENTICATION_FAILED = "ZDL_KAFKA_AUTHENTICATION_FAILED";

  /** A SASL plugin class in the kafka.* options cannot run in zdl's relocated Kafka client. */
  public static final String KAFKA_PLUGIN_UNSUPPORTED = "ZDL_KAFKA_PLUGIN_UNSUPPORTED";

  /** The query runs zdl-kafka under Spark 4.1's real-time mode (Trigger.RealTime): refused before any offset is read. */
  public static final String REAL_TIME_MODE_UNSUPPORTED = "ZDL_REAL_TIME_MODE_UNSUPPORTED";

  private ZdlErrors() {}

  public static ZdlException invalidOption(String option, String value, String expected) {
    return new ZdlException(INVALID_OPTION,
        String.format("Invalid value '%s' for option %s: expected %s", value, option, expected));
  }

  public static ZdlException invalidOption(String option, String problem) {
    return new ZdlException(INVALID_OPTION, String.format("Invalid option %s: %s", option, problem));
  }

  public static ZdlException conflicting(String option, String alreadySet) {
    return new ZdlException(CONFLICTING_OPTIONS,
        String.format("Cannot use %s because %s is already set; set only one of them", option, alreadySet));
  }

  public static ZdlException exactlyOneOf(Collection<String> options, Collection<String> given) {
    return new ZdlException(INVALID_OPTION, String.format(
        "Exactly one of the options %s must be set; given: %s", options, given.isEmpty() ? "none" : given));
  }

  /**
   * Real-time mode logs a batch's offsets only after the batch ran (Spark's markMicroBatchStart skips the
   * offset log under Trigger.RealTime), so zdl's guarantee that every batch's range is logged first cannot hold.
   */
  public static ZdlException realTimeModeUnsupported() {
    return new ZdlException(REAL_TIME_MODE_UNSUPPORTED,
        "zdl-kafka does not run in real-time mode (Trigger.RealTime): that mode logs a batch's offsets only after "
            + "the batch ran, and zdl logs every batch's offsets before it runs. Nothing was read or written. Use "
            + "Trigger.ProcessingTime (for example 500 milliseconds) or Trigger.AvailableNow, with the default "
            + "output mode (append)");
  }
}
