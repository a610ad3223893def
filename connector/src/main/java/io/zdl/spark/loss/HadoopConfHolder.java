package io.zdl.spark.loss;

import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;

/** A Hadoop configuration a serializable object takes along to executors, by whichever way suits it. */
interface HadoopConfHolder extends Serializable {
  Configuration get();
}
