package org.apache.spark.sql.connector.read.streaming;

import org.apache.spark.sql.connector.read.InputPartition;

/**
 * Compile-time stand-in for Spark 4.1's interface of this name, which Spark 4.0 (what this module compiles
 * against) lacks: only its binary signature, so RealTimeRefusingStream can implement it. Never packaged: the
 * jar, the sources and the Javadoc exclude org/apache/spark, and at run time Spark 4.1+'s own interface is used.
 */
public interface SupportsRealTimeMode {
  InputPartition[] planInputPartitions(Offset start);

  Offset mergeOffsets(PartitionOffset[] offsets);

  default void prepareForRealTimeMode() {}
}
