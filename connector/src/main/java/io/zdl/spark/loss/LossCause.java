package io.zdl.spark.loss;

import io.zdl.spark.error.ZdlErrors;

/** Why offsets a query had to read are not in Kafka any more. */
public enum LossCause {
  /** The log start moved past them: retention, or a DeleteRecords call. */
  OFFSETS_OUT_OF_RANGE(ZdlErrors.DATA_LOSS_OUT_OF_RANGE,
      "they are no longer in Kafka (retention or DeleteRecords moved the log start past them)"),
  /** The log end moved below them: unclean leader election, or the topic was deleted and recreated. */
  LOG_TRUNCATED(ZdlErrors.DATA_LOSS_LOG_TRUNCATED,
      "the partition's log end moved backwards below them (unclean leader election, or the topic was deleted and recreated)"),
  /** The partition the query was reading no longer exists. */
  PARTITION_GONE(ZdlErrors.DATA_LOSS_PARTITION_GONE,
      "the partition no longer exists (the topic was deleted, or partitions vanished)");

  private final String code;
  private final String explanation;

  LossCause(String code, String explanation) {
    this.code = code;
    this.explanation = explanation;
  }

  public String code() {
    return code;
  }

  public String explanation() {
    return explanation;
  }
}
