package io.zdl.spark.delta;

import org.apache.spark.sql.SQLContext;
import org.apache.spark.sql.execution.streaming.Sink;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.sources.StreamSinkProvider;
import org.apache.spark.sql.streaming.OutputMode;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/** Registers {@code writeStream.format("zdl-delta")} (Scala 2.13 signature; the sink is made by DeltaSinkFactory). */
public final class ZdlDeltaSinkProvider implements StreamSinkProvider, DataSourceRegister {
  public static final String SHORT_NAME = "zdl-delta";

  @Override
  public String shortName() {
    return SHORT_NAME;
  }

  @Override
  public Sink createSink(SQLContext sqlContext, scala.collection.immutable.Map<String, String> parameters,
      Seq<String> partitionColumns, OutputMode outputMode) {
    return DeltaSinkFactory.create(sqlContext, CollectionConverters.asJava(parameters),
        CollectionConverters.asJava(partitionColumns), outputMode);
  }
}
