package io.zdl.spark.delta;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.execution.streaming.Sink;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.sources.StreamSinkProvider;
import org.apache.spark.sql.streaming.OutputMode;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/** Registers {@code writeStream.format("zdl-delta")}. */
public final class ZdlDeltaSinkProvider implements StreamSinkProvider, DataSourceRegister {
  public static final String SHORT_NAME = "zdl-delta";

  @Override
  public String shortName() {
    return SHORT_NAME;
  }

  @Override
  public Sink createSink(SQLContext sqlContext, scala.collection.immutable.Map<String, String> parameters,
      Seq<String> partitionColumns, OutputMode outputMode) {
    if (!OutputMode.Append().equals(outputMode)) {
      throw new ZdlException(ZdlErrors.SINK_UNSUPPORTED, String.format(
          "zdl-delta supports outputMode append only, not %s: exactly-once is defined per Kafka record", outputMode));
    }
    Map<String, String> options = JavaConverters.mapAsJavaMap(parameters);
    List<String> partitioning = JavaConverters.seqAsJavaList(partitionColumns);
    return new ZdlDeltaSink(DeltaSinkOptions.parse(options), partitioning, sqlContext.sparkSession());
  }
}
