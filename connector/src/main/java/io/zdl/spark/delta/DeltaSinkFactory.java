package io.zdl.spark.delta;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.execution.streaming.Sink;
import org.apache.spark.sql.streaming.OutputMode;

/**
 * Makes the sink for {@link ZdlDeltaSinkProvider}, whose {@code createSink} signature differs between
 * Scala 2.12 and 2.13 (so the provider is per line, and everything it does is here).
 */
final class DeltaSinkFactory {
  private DeltaSinkFactory() {}

  static Sink create(SQLContext sqlContext, Map<String, String> options, List<String> partitioning,
      OutputMode outputMode) {
    if (!OutputMode.Append().equals(outputMode)) {
      throw new ZdlException(ZdlErrors.SINK_UNSUPPORTED, String.format(
          "zdl-delta supports outputMode append only, not %s: exactly-once is defined per Kafka record", outputMode));
    }
    return new ZdlDeltaSink(DeltaSinkOptions.parse(options), partitioning, sqlContext.sparkSession());
  }
}
