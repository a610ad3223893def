package io.zdl.it.support;

import io.zdl.test.kafka.KafkaBroker;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;

/** zdl-kafka readers on the test broker, with options given as key, value, key, value... */
public final class Sources {
  private Sources() {}

  /** A streaming zdl-kafka reader with the broker's address and {@code options}. */
  public static DataStreamReader stream(SparkSession spark, KafkaBroker broker, String... options) {
    DataStreamReader r = spark.readStream().format("zdl-kafka")
        .option("kafka.bootstrap.servers", broker.bootstrapServers());
    for (int i = 0; i < options.length; i += 2) {
      r = r.option(options[i], options[i + 1]);
    }
    return r;
  }

  /** A batch zdl-kafka reader with the broker's address and {@code options}. */
  public static DataFrameReader batch(SparkSession spark, KafkaBroker broker, String... options) {
    DataFrameReader r = spark.read().format("zdl-kafka").option("kafka.bootstrap.servers", broker.bootstrapServers());
    for (int i = 0; i < options.length; i += 2) {
      r = r.option(options[i], options[i + 1]);
    }
    return r;
  }

  /**
   * What the sink suites read: {@code topic} from earliest, 40 offsets per batch, then {@code options}
   * (later ones win).
   */
  public static DataStreamReader sinkSuiteStream(SparkSession spark, KafkaBroker broker, String topic,
      String... options) {
    return stream(spark, broker, "subscribe", topic, "startingOffsets", "earliest", "maxOffsetsPerTrigger", "40")
        .options(options(options));
  }

  /** Key, value, key, value... as an ordered map, for DataStreamReader.options. */
  public static java.util.Map<String, String> options(String... kv) {
    java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
