package io.zdl.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.SupportsAdmissionControl;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The driver's cost of planning one micro-batch: the latest offsets and the input partitions, the
 * two calls Spark makes on the source per batch, through the public DataSource V2 interfaces, on
 * both sources alike. The start offset is the topic's beginning, so every batch has ranges to plan.
 */
final class PlanningBench implements AutoCloseable {
  private final MicroBatchStream stream;
  private final Offset start;
  private int partitionCount;

  PlanningBench(TableProvider provider, String bootstrap, String topic, Path checkpoint) {
    Map<String, String> options = new HashMap<>();
    options.put("kafka.bootstrap.servers", bootstrap);
    options.put("subscribe", topic);
    options.put("startingOffsets", "earliest");
    CaseInsensitiveStringMap map = new CaseInsensitiveStringMap(options);
    Table table = provider.getTable(provider.inferSchema(map), new Transform[0], options);
    this.stream = ((SupportsRead) table).newScanBuilder(map).build().toMicroBatchStream(checkpoint.toString());
    this.start = stream.initialOffset();
  }

  /** One batch's planning; returns its wall time in microseconds. */
  long planOnce() {
    long t0 = System.nanoTime();
    Offset end = ((SupportsAdmissionControl) stream).latestOffset(start, ReadLimit.allAvailable());
    InputPartition[] parts = stream.planInputPartitions(start, end);
    long micros = (System.nanoTime() - t0) / 1000L;
    partitionCount = parts.length;
    return micros;
  }

  int lastPartitionCount() {
    return partitionCount;
  }

  @Override
  public void close() {
    stream.stop();
  }
}
