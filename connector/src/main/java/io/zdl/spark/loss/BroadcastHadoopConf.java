package io.zdl.spark.loss;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * A Hadoop configuration sent to each executor once, as a broadcast, instead of with every task
 * that may need it.
 */
final class BroadcastHadoopConf implements HadoopConfHolder {
  private static final long serialVersionUID = 1L;

  private final Broadcast<SerializableHadoopConf> conf;

  BroadcastHadoopConf(SparkContext sparkContext, Configuration conf) {
    this.conf = JavaSparkContext.fromSparkContext(sparkContext).broadcast(new SerializableHadoopConf(conf));
  }

  @Override
  public Configuration get() {
    return conf.value().get();
  }
}
