package io.zdl.spark.kafka;

import io.zdl.spark.kafka.config.KafkaSourceConf;
import io.zdl.spark.kafka.metadata.AdminOffsetReader;
import io.zdl.spark.kafka.metadata.KafkaOffsetReader;
import io.zdl.spark.kafka.read.KafkaRecordSchema;
import java.util.UUID;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.types.StructType;

/** Wiring: one scan of the Kafka table, as a micro-batch stream or a batch. */
final class KafkaScan implements Scan, ScanBuilder {
  private final KafkaSourceConf conf;

  KafkaScan(KafkaSourceConf conf) {
    this.conf = conf;
  }

  @Override
  public Scan build() {
    return this;
  }

  @Override
  public StructType readSchema() {
    return KafkaRecordSchema.of(conf.includeHeaders());
  }

  /** Appears in plans and explain(): names topics, never connection settings or secrets. */
  @Override
  public String description() {
    return conf.toString();
  }

  @Override
  public MicroBatchStream toMicroBatchStream(String checkpointLocation) {
    conf.startingOffsetsForStream(); // refuses batch-only options before anything runs
    SparkContext sc = SparkSession.active().sparkContext();
    // a stream looks up offsets every batch: it gets a lookup consumer beside the Admin client
    KafkaOffsetReader reader = new AdminOffsetReader(conf.kafkaParams().adminParams(),
        conf.kafkaParams().offsetLookupParams(), conf.subscription(), conf.kafkaParams().isolationLevel(),
        conf.fetchOffsetNumRetries(), conf.fetchOffsetRetryIntervalMs());
    return LineStreams.microBatchStream(
        new StreamCollaborators(conf, reader, checkpointLocation, sc, UUID.randomUUID().toString()));
  }

  @Override
  public Batch toBatch() {
    return new KafkaBatch(conf, this::newOffsetReader);
  }

  private KafkaOffsetReader newOffsetReader() {
    return new AdminOffsetReader(conf.kafkaParams().adminParams(), conf.subscription(),
        conf.kafkaParams().isolationLevel(), conf.fetchOffsetNumRetries(), conf.fetchOffsetRetryIntervalMs());
  }
}
