package io.zdl.spark.kafka;

import io.zdl.spark.kafka.config.KafkaSourceConf;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;

/** The read limit a stream asks Spark for, from maxOffsetsPerTrigger, minOffsetsPerTrigger and maxTriggerDelay. */
final class DefaultReadLimit {
  private DefaultReadLimit() {}

  static ReadLimit of(KafkaSourceConf conf) {
    Long max = conf.maxOffsetsPerTrigger();
    Long min = conf.minOffsetsPerTrigger();
    if (min != null && max != null) {
      return ReadLimit.compositeLimit(new ReadLimit[] {
          ReadLimit.minRows(min, conf.maxTriggerDelayMs()), ReadLimit.maxRows(max)});
    }
    if (min != null) {
      return ReadLimit.minRows(min, conf.maxTriggerDelayMs());
    }
    return max != null ? ReadLimit.maxRows(max) : ReadLimit.allAvailable();
  }
}
