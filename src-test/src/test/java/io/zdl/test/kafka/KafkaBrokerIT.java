package io.zdl.test.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Proves the harness: a real broker that keeps acknowledged data across a SIGKILL and restart. */
class KafkaBrokerIT {

  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.dedicated();

  private static final String TOPIC = "harness-it";
  private static final int PARTITIONS = 3;

  /** One record as the broker stores it; compared exactly, offsets included. */
  record Rec(int partition, long offset, String key, String value, String header) {
  }

  @Test
  void dataSurvivesKillAndRestart() throws Exception {
    KafkaBroker broker = KAFKA.broker();
    broker.createTopic(TOPIC, PARTITIONS);

    List<Rec> expected = new ArrayList<>(produce(broker, 0, 100));
    assertEquals(expected, readAll(broker));

    long t0 = System.nanoTime();
    broker.kill();
    long killMs = ms(t0);
    assertBrokerGone(broker);

    t0 = System.nanoTime();
    broker.restart();
    long restartMs = ms(t0);
    System.out.printf("[KafkaBrokerIT] kill %d ms, restart until ready %d ms%n", killMs, restartMs);

    assertEquals(expected, readAll(broker), "the 100 records must survive SIGKILL");

    expected.addAll(produce(broker, 100, 10));
    expected.sort(Comparator.comparingInt(Rec::partition).thenComparingLong(Rec::offset));
    List<Rec> all = readAll(broker);
    assertEquals(110, all.size());
    assertEquals(expected, all);
  }

  /** Produces records {@code from .. from+count-1} and returns what the broker acknowledged, in (partition, offset) order. */
  private static List<Rec> produce(KafkaBroker broker, int from, int count) throws Exception {
    List<Rec> acked = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = broker.newProducer()) {
      List<Future<RecordMetadata>> futures = new ArrayList<>();
      for (int i = from; i < from + count; i++) {
        ProducerRecord<byte[], byte[]> r = new ProducerRecord<>(TOPIC, bytes(key(i)), bytes(value(i)));
        r.headers().add("trace", bytes(header(i)));
        futures.add(producer.send(r));
      }
      producer.flush();
      for (int i = 0; i < count; i++) {
        RecordMetadata md = futures.get(i).get(30, TimeUnit.SECONDS);
        int n = from + i;
        acked.add(new Rec(md.partition(), md.offset(), key(n), value(n), header(n)));
      }
    }
    acked.sort(Comparator.comparingInt(Rec::partition).thenComparingLong(Rec::offset));
    return acked;
  }

  /** Reads every partition from the beginning up to its end offset (bounded), in (partition, offset) order. */
  private static List<Rec> readAll(KafkaBroker broker) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    List<Rec> out = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> tps = new ArrayList<>();
      for (int p = 0; p < PARTITIONS; p++) {
        tps.add(new TopicPartition(TOPIC, p));
      }
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> end = consumer.endOffsets(tps, Duration.ofSeconds(30));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!reachedEnd(consumer, end)) {
        assertTrue(System.nanoTime() - deadline < 0, "timed out reading up to " + end + "; got " + out.size());
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          Header h = r.headers().lastHeader("trace");
          out.add(new Rec(r.partition(), r.offset(), str(r.key()), str(r.value()),
              h == null ? null : str(h.value())));
        }
      }
    }
    out.sort(Comparator.comparingInt(Rec::partition).thenComparingLong(Rec::offset));
    return out;
  }

  private static boolean reachedEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey(), Duration.ofSeconds(30)) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  /** After kill(): the port refuses connections, and admin and producer calls fail. */
  private static void assertBrokerGone(KafkaBroker broker) {
    String[] hostPort = broker.bootstrapServers().split(":");
    assertThrows(ConnectException.class, () -> {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 1000);
      }
    });
    assertThrows(ExecutionException.class, () -> broker.admin()
        .describeCluster(new DescribeClusterOptions().timeoutMs(2000)).nodes().get(10, TimeUnit.SECONDS));
    Properties props = broker.producerProperties();
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "3000");
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "1000");
    props.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      assertThrows(Exception.class, () -> producer
          .send(new ProducerRecord<>(TOPIC, bytes("k"), bytes("v"))).get(10, TimeUnit.SECONDS));
    }
  }

  private static String key(int i) {
    return String.format("key-%03d", i);
  }

  private static String value(int i) {
    return String.format("value-%03d", i);
  }

  private static String header(int i) {
    return String.format("trace-%03d", i);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String str(byte[] b) {
    return b == null ? null : new String(b, StandardCharsets.UTF_8);
  }

  private static long ms(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
