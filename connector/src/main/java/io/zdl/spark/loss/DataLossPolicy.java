package io.zdl.spark.loss;

import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.config.KafkaSourceOptions;
import java.io.Serializable;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that decides what lost offsets do: stop the query (the default), or, with
 * {@code failOnDataLoss=false}, skip them loudly. Used on the driver while planning and on
 * executors while reading.
 */
public final class DataLossPolicy implements Serializable {
  private static final Logger LOG = LoggerFactory.getLogger(DataLossPolicy.class);

  private final boolean failOnDataLoss;

  public DataLossPolicy(boolean failOnDataLoss) {
    this.failOnDataLoss = failOnDataLoss;
  }

  public boolean failOnDataLoss() {
    return failOnDataLoss;
  }

  /**
   * Reports that {@code [fromOffset, untilOffset)} of {@code tp} cannot be read.
   *
   * @throws ZdlException when the policy is to fail (the default)
   */
  public void onLoss(TopicPartition tp, long fromOffset, long untilOffset, LossCause cause) {
    String range = untilOffset == Long.MAX_VALUE
        ? "[" + fromOffset + ", end)" : "[" + fromOffset + ", " + untilOffset + ")";
    if (failOnDataLoss) {
      throw new ZdlException(cause.code(), String.format(
          "Cannot read topic %s partition %d offsets %s: %s. Nothing of this batch was written. "
              + "To skip lost records and continue, set %s=false (each skipped range is logged).",
          tp.topic(), tp.partition(), range, cause.explanation(), KafkaSourceOptions.FAIL_ON_DATA_LOSS));
    }
    LOG.warn("[{}] Skipping topic {} partition {} offsets {}: {} ({}=false)", cause.code(), tp.topic(),
        tp.partition(), range, cause.explanation(), KafkaSourceOptions.FAIL_ON_DATA_LOSS);
  }
}
