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
      "the partition no longer exists (the topic was deleted, or partitions vanished)"),
  /**
   * The topic's id changed: it was deleted and created again. The query's offsets refer to the old
   * topic; the new topic's records below them would be skipped.
   */
  TOPIC_RECREATED(ZdlErrors.DATA_LOSS_TOPIC_RECREATED,
      "the topic was deleted and recreated (its topic id changed): the query's position refers to the old "
          + "topic, so these offsets of the new topic would be skipped, and the old topic's unread records are gone");

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
