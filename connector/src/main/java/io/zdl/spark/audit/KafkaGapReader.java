package io.zdl.spark.audit;

import io.zdl.spark.kafka.security.SaslClientRouter;
import io.zdl.spark.kafka.config.KafkaParams;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads what Kafka holds in a partition's gaps, with {@code isolation.level=read_committed}: in one
 * forward pass over the partition (many small gaps, such as the marker after every transaction, cost
 * no extra round trips), seeking ahead only over long stretches without gaps. Bounded by a deadline.
 */
final class KafkaGapReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaGapReader.class);
  /** Closer than this, reading on is cheaper than a seek and a new fetch. */
  private static final long SEEK_DISTANCE = 10_000;
  private static final long POLL_MS = 500;

  /**
   * Per gap, in the order given: committed records found in it, or -1 when it holds none so far but
   * was not read to its end.
   */
  static final class Reading {
    final long[] committedRecords;

    Reading(int gaps) {
      committedRecords = new long[gaps];
    }
  }

  private final KafkaConsumer<byte[], byte[]> consumer;

  KafkaGapReader(KafkaParams kafka) {
    Map<String, Object> params = kafka.consumerParams("zdl-audit-" + UUID.randomUUID());
    params.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    SaslClientRouter.install(); // OAUTHBEARER and SCRAM work beside other Kafka clients in this JVM
    this.consumer = new KafkaConsumer<>(params);
  }

  /** {@code gaps}: sorted, disjoint, all inside the partition's log and below its last stable offset. */
  Reading read(String topic, int partition, List<Span> gaps, long timeoutMs) {
    Reading reading = new Reading(gaps.size());
    if (gaps.isEmpty()) {
      return reading;
    }
    TopicPartition tp = new TopicPartition(topic, partition);
    consumer.assign(Collections.singleton(tp));
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    int at = 0; // the first gap not yet read to its end
    try {
      consumer.seek(tp, gaps.get(0).from());
      while (at < gaps.size()) {
        long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
        if (leftMs <= 0) {
          break;
        }
        long position = consumer.position(tp, Duration.ofMillis(leftMs));
        while (at < gaps.size() && gaps.get(at).until() <= position) {
          at++; // read past its end: every committed record in it has been seen
        }
        if (at == gaps.size()) {
          break;
        }
        if (position < gaps.get(at).from() - SEEK_DISTANCE) {
          consumer.seek(tp, gaps.get(at).from());
          continue;
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(Math.min(POLL_MS, leftMs)))) {
          while (at < gaps.size() && gaps.get(at).until() <= r.offset()) {
            at++;
          }
          if (at < gaps.size() && gaps.get(at).from() <= r.offset()) {
            reading.committedRecords[at]++;
          }
        }
      }
    } catch (KafkaException e) {
      // e.g. the log start moved past the gaps meanwhile: the rest stays unread and is reported so
      LOG.warn("Reading the gaps of {} stopped at gap {} of {}: {}", tp, at, gaps.size(), e.toString());
    }
    for (int i = at; i < gaps.size(); i++) {
      if (reading.committedRecords[i] == 0) {
        reading.committedRecords[i] = -1; // not read to its end: cannot tell
      }
    }
    return reading;
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
