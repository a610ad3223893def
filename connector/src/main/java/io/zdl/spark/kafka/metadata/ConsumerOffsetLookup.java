package io.zdl.spark.kafka.metadata;

import io.zdl.spark.kafka.security.SaslClientRouter;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * The driver's per-batch lookup of latest offsets and log starts, on a consumer that never subscribes,
 * polls or commits. A consumer keeps the partitions' leaders between calls, so each lookup is one
 * ListOffsets round trip; the AdminClient asks for metadata before every ListOffsets. The consumer
 * lives on a thread of its own (it is not thread-safe), so lookups run while the caller lists
 * partitions. One failed or abandoned lookup ends the instance: its caller makes a new one.
 */
final class ConsumerOffsetLookup implements AutoCloseable {
  private static final AtomicInteger THREADS = new AtomicInteger();

  /** Latest offsets (log end, or last stable under read_committed) and log starts of the same partitions. */
  static final class Offsets {
    final Map<TopicPartition, Long> latest;
    final Map<TopicPartition, Long> earliest;

    Offsets(Map<TopicPartition, Long> latest, Map<TopicPartition, Long> earliest) {
      this.latest = latest;
      this.earliest = earliest;
    }
  }

  private final ExecutorService thread;
  private final KafkaConsumer<byte[], byte[]> consumer;

  /** @param consumerParams a consumer's settings; {@code isolation.level} decides what "latest" is */
  ConsumerOffsetLookup(Map<String, Object> consumerParams) {
    SaslClientRouter.install(); // OAUTHBEARER and SCRAM work beside other Kafka clients in this JVM
    this.consumer = new KafkaConsumer<>(consumerParams);
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "zdl-kafka-offset-lookup-" + THREADS.incrementAndGet());
      t.setDaemon(true); // never holds a driver JVM open
      return t;
    });
  }

  /** Starts a lookup; each call is bounded by the consumer's {@code default.api.timeout.ms}. */
  Future<Offsets> lookUp(Set<TopicPartition> partitions) {
    return thread.submit(() -> new Offsets(consumer.endOffsets(partitions), consumer.beginningOffsets(partitions)));
  }

  /** Abandons a running lookup and closes the consumer on its own thread; returns at once. */
  @Override
  public void close() {
    consumer.wakeup();
    thread.submit(() -> consumer.close(Duration.ZERO));
    thread.shutdown();
  }
}
