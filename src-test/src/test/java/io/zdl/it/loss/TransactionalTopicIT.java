package io.zdl.it.loss;

import static io.zdl.it.support.Queries.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.support.Sources;
import io.zdl.spark.loss.LossLedger;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Under read_committed, transaction markers and aborted records leave offset gaps. They are not loss:
 * not counted, not in the ledger, and no batch stalls on them, including one that ends where an
 * open transaction begins.
 */
class TransactionalTopicIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  private final SparkSession spark = SparkTestSession.get();

  private KafkaProducer<byte[], byte[]> transactional(String id) {
    Properties props = KAFKA.broker().producerProperties();
    props.put("transactional.id", id);
    KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(props);
    p.initTransactions();
    return p;
  }

  private static void send(KafkaProducer<byte[], byte[]> p, String topic, int partition, String value) {
    p.send(new ProducerRecord<>(topic, partition, null, value.getBytes()));
  }

  @Test
  void committedAbortedInterleavedAndOpenTransactionsAreReadWithoutLossOrStall() throws Exception {
    String topic = unique("txn");
    KAFKA.broker().createTopic(topic, 2);
    List<String> committed = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> a = transactional(topic + "-a");
        KafkaProducer<byte[], byte[]> b = transactional(topic + "-b")) {
      for (int round = 0; round < 6; round++) {
        // two producers with transactions open at once on the same partitions: their records interleave
        a.beginTransaction();
        b.beginTransaction();
        for (int i = 0; i < 5; i++) {
          send(a, topic, i % 2, "a" + round + "-" + i);
          send(b, topic, i % 2, "b" + round + "-" + i);
        }
        a.flush();
        b.flush();
        a.commitTransaction();
        for (int i = 0; i < 5; i++) {
          committed.add("a" + round + "-" + i);
        }
        if (round % 2 == 0) {
          b.abortTransaction();
        } else {
          b.commitTransaction();
          for (int i = 0; i < 5; i++) {
            committed.add("b" + round + "-" + i);
          }
        }
      }
      // left open while the query runs: the last stable offset stops before it
      b.beginTransaction();
      for (int i = 0; i < 4; i++) {
        send(b, topic, i % 2, "open-" + i);
      }
      b.flush();

      Path checkpoint = newDir("cp");
      List<Row> first = new ArrayList<>();
      StreamingQuery q = run(topic, checkpoint, first);
      assertEquals(sorted(committed), values(first));
      assertNoLoss(q, checkpoint, true);

      // the open transaction commits: a restart reads exactly its records
      b.commitTransaction();
      List<Row> second = new ArrayList<>();
      StreamingQuery q2 = run(topic, checkpoint, second);
      assertEquals(List.of("open-0", "open-1", "open-2", "open-3"), values(second));
      assertNoLoss(q2, checkpoint, false);
    }
  }

  /** AvailableNow with small batches, so that batches end at markers and inside aborted runs. */
  private StreamingQuery run(String topic, Path checkpoint, List<Row> into) {
    StreamingQuery q = start(Sources.stream(spark, KAFKA.broker(), "subscribe", topic, "startingOffsets", "earliest",
            "kafka.isolation.level", "read_committed", "maxOffsetsPerTrigger", "7").load()
        .writeStream().option("checkpointLocation", checkpoint.toString()).trigger(Trigger.AvailableNow())
        .foreachBatch((org.apache.spark.api.java.function.VoidFunction2<org.apache.spark.sql.Dataset<Row>, Long>)
            (df, id) -> {
              synchronized (into) {
                into.addAll(df.collectAsList());
              }
            }));
    awaitTermination(q, 180); // a stalled batch would never let AvailableNow finish
    return q;
  }

  private void assertNoLoss(StreamingQuery q, Path checkpoint, boolean severalBatches) {
    int batches = 0;
    for (StreamingQueryProgress p : q.recentProgress()) {
      for (SourceProgress s : p.sources()) {
        assertEquals("0", s.metrics().get("lostRecords"), s.metrics().toString());
        batches++;
      }
    }
    assertTrue(batches > (severalBatches ? 1 : 0), "batches ran: " + batches);
    assertTrue(new LossLedger(checkpoint.resolve("sources").resolve("0").toString(),
        spark.sparkContext().hadoopConfiguration()).all().isEmpty());
  }

  private static List<String> values(List<Row> rows) {
    return rows.stream().map(r -> new String((byte[]) r.getAs("value"))).sorted().toList();
  }

  private static List<String> sorted(List<String> values) {
    return values.stream().sorted().toList();
  }
}
