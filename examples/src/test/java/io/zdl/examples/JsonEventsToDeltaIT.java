package io.zdl.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.test.kafka.KafkaBroker;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The Java example, run through its main method against a real broker, twice on one checkpoint. */
class JsonEventsToDeltaIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  @Test
  void everyEventReachesTheTableOnceAndMalformedValuesAreKept() throws Exception {
    KafkaBroker broker = KAFKA.broker();
    String topic = "json-events-" + UUID.randomUUID();
    broker.createTopic(topic, 3);
    Path work = Files.createDirectories(SparkTestSession.workDir().resolve(topic));
    String[] args = {"--bootstrap", broker.bootstrapServers(), "--topic", topic,
        "--table", work.resolve("table").toString(), "--checkpoint", work.resolve("checkpoint").toString(),
        "--trigger", "availableNow"};
    SparkSession spark = SparkTestSession.get(); // main's getOrCreate() finds this session

    List<String> expected = new ArrayList<>(produceEvents(broker, topic, 0, 150));
    expected.add(produce(broker, topic, "not json"));
    JsonEventsToDelta.main(args);
    assertEquals(sorted(expected), tableRows(spark, work.resolve("table")));

    expected.addAll(produceEvents(broker, topic, 150, 90));
    JsonEventsToDelta.main(args); // the same checkpoint: continues after the first run
    assertEquals(sorted(expected), tableRows(spark, work.resolve("table")));
    assertEquals(0L, spark.read().format("delta").load(work.resolve("table").toString())
        .groupBy("partition", "offset").count().where("count > 1").count(), "a Kafka record written twice");
  }

  @Test
  void aMissingArgumentIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> JsonEventsToDelta.arguments(new String[] {"--bootstrap", "127.0.0.1:9", "--topic", "t", "--table", "/x"}));
    assertTrue(e.getMessage().startsWith("missing --checkpoint"), e.getMessage());
  }

  /** Each table row as id|kind|user|amount|json (the fields the example parses), sorted. */
  private static List<String> tableRows(SparkSession spark, Path table) {
    List<String> out = new ArrayList<>();
    for (Row r : spark.read().format("delta").load(table.toString())
        .select("id", "kind", "user", "amount", "json").collectAsList()) {
      out.add(r.get(0) + "|" + r.get(1) + "|" + r.get(2) + "|" + r.get(3) + "|" + r.get(4));
    }
    return sorted(out);
  }

  private static List<String> sorted(List<String> rows) {
    List<String> copy = new ArrayList<>(rows);
    copy.sort(null);
    return copy;
  }

  /** Produces events {@code first..first+count-1}; returns the rows the table should then hold for them. */
  private static List<String> produceEvents(KafkaBroker broker, String topic, int first, int count) throws Exception {
    List<String> rows = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = broker.newProducer()) {
      for (int id = first; id < first + count; id++) {
        String kind = id % 2 == 0 ? "click" : "view";
        String json = "{\"id\":" + id + ",\"kind\":\"" + kind + "\",\"user\":\"u" + (id % 13) + "\",\"amount\":"
            + (id % 5) + ".5}";
        producer.send(new ProducerRecord<>(topic, ("u" + (id % 13)).getBytes(StandardCharsets.UTF_8),
            json.getBytes(StandardCharsets.UTF_8))).get(60, TimeUnit.SECONDS);
        rows.add(id + "|" + kind + "|u" + (id % 13) + "|" + (id % 5) + ".5|" + json);
      }
    }
    return rows;
  }

  private static String produce(KafkaBroker broker, String topic, String value) throws Exception {
    try (KafkaProducer<byte[], byte[]> producer = broker.newProducer()) {
      producer.send(new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8))).get(60, TimeUnit.SECONDS);
    }
    return "null|null|null|null|" + value;
  }
}
