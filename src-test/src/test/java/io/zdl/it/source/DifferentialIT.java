package io.zdl.it.source;

import static io.zdl.it.support.Queries.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zdl.it.support.TestRecords;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.util.List;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The built-in {@code kafka} source is the oracle: with the same options, zdl-kafka gives the same rows. */
class DifferentialIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  private static String topic;
  private final SparkSession spark = SparkTestSession.get();

  @BeforeAll
  static void produce() {
    topic = unique("diff");
    KAFKA.broker().createTopic(topic, 5);
    TestRecords.produce(KAFKA.broker(), topic, 5, 0, 1000);
  }

  private List<String> batch(String format, String... options) {
    DataFrameReader reader = spark.read().format(format)
        .option("kafka.bootstrap.servers", KAFKA.broker().bootstrapServers()).option("subscribe", topic);
    for (int i = 0; i < options.length; i += 2) {
      reader = reader.option(options[i], options[i + 1]);
    }
    return TestRecords.canonicalRows(reader.load().collectAsList());
  }

  private List<String> stream(String format, String... options) {
    DataStreamReader reader = spark.readStream().format(format)
        .option("kafka.bootstrap.servers", KAFKA.broker().bootstrapServers()).option("subscribe", topic);
    for (int i = 0; i < options.length; i += 2) {
      reader = reader.option(options[i], options[i + 1]);
    }
    Dataset<Row> df = reader.load();
    return TestRecords.canonicalRows(readAvailableNow(df, newDir("cp-" + format)));
  }

  @Test
  void batchReadWithHeadersMatchesTheBuiltInSource() {
    List<String> oracle = batch("kafka", "includeHeaders", "true");
    assertEquals(1000, oracle.size());
    assertEquals(oracle, batch("zdl-kafka", "includeHeaders", "true"));
  }

  @Test
  void batchReadOfAnOffsetWindowMatchesTheBuiltInSource() {
    String start = "{\"" + topic + "\":{\"0\":10,\"1\":-2,\"2\":50,\"3\":0,\"4\":199}}";
    String end = "{\"" + topic + "\":{\"0\":100,\"1\":-1,\"2\":51,\"3\":7,\"4\":200}}";
    List<String> oracle = batch("kafka", "startingOffsets", start, "endingOffsets", end);
    assertEquals(90 + 200 + 1 + 7 + 1, oracle.size());
    assertEquals(oracle, batch("zdl-kafka", "startingOffsets", start, "endingOffsets", end));
  }

  @Test
  void streamingReadMatchesTheBuiltInSource() {
    List<String> oracle = stream("kafka", "startingOffsets", "earliest", "includeHeaders", "true",
        "maxOffsetsPerTrigger", "300");
    assertEquals(1000, oracle.size());
    assertEquals(oracle, stream("zdl-kafka", "startingOffsets", "earliest", "includeHeaders", "true",
        "maxOffsetsPerTrigger", "300"));
  }

  @Test
  void streamingReadFromATimestampMatchesTheBuiltInSource() {
    String ts = Long.toString(TestRecords.BASE_TIMESTAMP_MS + 500);
    List<String> oracle = stream("kafka", "startingTimestamp", ts);
    assertEquals(500, oracle.size());
    assertEquals(oracle, stream("zdl-kafka", "startingTimestamp", ts));
  }
}
