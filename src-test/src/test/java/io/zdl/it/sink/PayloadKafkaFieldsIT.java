package io.zdl.it.sink;

import static io.zdl.it.support.Queries.awaitTermination;
import static io.zdl.it.support.Queries.fullMessage;
import static io.zdl.it.support.Queries.newDir;
import static io.zdl.it.support.Queries.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.support.Sources;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Payloads that carry their own {@code topic}, {@code partition} and {@code offset} fields (mirrored
 * topics, dead-letter queues, CDC envelopes), flattened by from_json: the overlap guard must go by
 * the zdl-kafka source's columns, never by a column that only shares their name.
 */
class PayloadKafkaFieldsIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  private static final String PAYLOAD_SCHEMA = "id LONG, topic STRING, `partition` INT, `offset` LONG";

  private final SparkSession spark = SparkTestSession.get();

  /**
   * Produces records {@code first..first+count-1}, JSON values whose own topic and partition equal the
   * record's and whose own offset is an upstream one (1,000,000 + id): a by-name filter never takes a
   * payload row for one the table holds.
   */
  private static void produce(String topic, long first, int count) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = KAFKA.broker().newProducer()) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (long id = first; id < first + count; id++) {
        int partition = (int) (id % 2);
        String json = String.format("{\"id\":%d,\"topic\":\"%s\",\"partition\":%d,\"offset\":%d}", id, topic,
            partition, 1_000_000 + id);
        acks.add(producer.send(new ProducerRecord<>(topic, partition, null, json.getBytes(StandardCharsets.UTF_8))));
      }
      for (Future<RecordMetadata> a : acks) {
        a.get(60, TimeUnit.SECONDS);
      }
    }
  }

  private Dataset<Row> source(String topic) {
    return Sources.sinkSuiteStream(spark, KAFKA.broker(), topic, "maxOffsetsPerTrigger", "100000").load();
  }

  private StreamingQuery start(Dataset<Row> rows, Path table, Path checkpoint) throws Exception {
    return rows.writeStream().format("zdl-delta").option("checkpointLocation", checkpoint.toString())
        .trigger(Trigger.AvailableNow()).start(table.toString());
  }

  private List<Long> ids(Path table) {
    return spark.read().format("delta").load(table.toString()).select("id").collectAsList().stream()
        .map(r -> r.getLong(0)).sorted().collect(Collectors.toList());
  }

  private static List<Long> range(long count) {
    return LongStream.range(0, count).boxed().collect(Collectors.toList());
  }

  @Test
  void payloadFieldsNamedLikeTheSourceColumnsDoNotDecideTheOverlapWhenTheSourceColumnsAreKeptRenamed()
      throws Exception {
    String topic = unique("payload-kept");
    KAFKA.broker().createTopic(topic, 2);
    Function<Dataset<Row>, Dataset<Row>> flatten = df -> df
        .selectExpr("from_json(CAST(value AS STRING), '" + PAYLOAD_SCHEMA + "') AS p",
            "topic AS src_topic", "partition AS src_partition", "offset AS src_offset")
        .selectExpr("p.*", "src_topic", "src_partition", "src_offset");
    produce(topic, 0, 2000);
    Path table = newDir("table");
    awaitTermination(start(flatten.apply(source(topic)), table, newDir("cp")), 180);
    produce(topic, 2000, 2000);

    // a new checkpoint from earliest: its batch covers the 2,000 records the table holds and 2,000 new ones
    awaitTermination(start(flatten.apply(source(topic)), table, newDir("cp")), 180);

    List<Long> ids = ids(table);
    assertEquals(range(4000), ids, "every record exactly once; the table has " + ids.size() + " rows");
  }

  @Test
  void payloadFieldsNamedLikeTheSourceColumnsWithoutTheSourceColumnsAreRefusedWithoutWritingTwice()
      throws Exception {
    String topic = unique("payload-dropped");
    KAFKA.broker().createTopic(topic, 2);
    Function<Dataset<Row>, Dataset<Row>> flatten = df -> df
        .selectExpr("from_json(CAST(value AS STRING), '" + PAYLOAD_SCHEMA + "') AS p").selectExpr("p.*");
    produce(topic, 0, 2000);
    Path table = newDir("table");
    awaitTermination(start(flatten.apply(source(topic)), table, newDir("cp")), 180);
    produce(topic, 2000, 2000);

    StreamingQuery q = start(flatten.apply(source(topic)), table, newDir("cp"));
    StreamingQueryException e = assertThrows(StreamingQueryException.class, () -> q.awaitTermination(180_000));
    String message = fullMessage(e);
    assertTrue(message.contains("ZDL_SINK_OVERLAP_UNDECIDABLE") && message.contains("another origin")
        && message.contains("startingOffsetsFromTable"), message);
    assertEquals(range(2000), ids(table), "nothing written twice, nothing new written");
  }
}
