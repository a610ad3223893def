package io.zdl.it.chaos;

import io.zdl.test.kafka.KafkaBroker;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes the campaign's records, ids 0, 1, 2... in order, one chunk at a time; in transactional
 * mode each chunk is one transaction, committed or aborted as the schedule says. Remembers which
 * ids were committed and which aborted. Never runs while the broker restarts (the controller
 * does one thing at a time), so every chunk's outcome is known.
 */
final class ChaosProducer {
  private final KafkaBroker broker;
  private final String topic;
  private int partitions; // the partitions written to; the topic may have a quiet one beyond them
  private final ChaosRecords records;
  private final boolean transactional;
  private final BitSet committed = new BitSet();
  private final BitSet aborted = new BitSet();
  private int nextId;

  ChaosProducer(KafkaBroker broker, String topic, int partitions, ChaosRecords records, boolean transactional) {
    this.broker = broker;
    this.topic = topic;
    this.partitions = partitions;
    this.records = records;
    this.transactional = transactional;
  }

  /** A new client per chunk: simple, and never one that saw the broker die. */
  void produce(ChaosSchedule.Chunk chunk) {
    Properties props = broker.producerProperties();
    props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(2 * ChaosRecords.LARGEST_VALUE));
    if (transactional) {
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-producer");
    }
    int first = nextId;
    int end = first + chunk.records();
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(props)) {
      if (transactional) {
        p.initTransactions();
        p.beginTransaction();
      }
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (int id = first; id < end; id++) {
        acks.add(p.send(new ProducerRecord<>(topic, id % partitions, null, ChaosRecords.key(id), records.value(id),
            ChaosRecords.headers(id))));
      }
      p.flush();
      for (Future<RecordMetadata> ack : acks) {
        ack.get(120, TimeUnit.SECONDS);
      }
      if (transactional && chunk.abort()) {
        p.abortTransaction();
        aborted.set(first, end);
      } else {
        if (transactional) {
          p.commitTransaction();
        }
        committed.set(first, end);
      }
    } catch (Exception e) {
      throw new IllegalStateException("producing ids " + first + ".." + (end - 1) + " to " + topic + " failed", e);
    }
    nextId = end;
  }

  /** From the next chunk on, spreads records over partitions 0 to {@code n - 1}. */
  void writeToPartitions(int n) {
    partitions = n;
  }

  int partitions() {
    return partitions;
  }

  BitSet committed() {
    return (BitSet) committed.clone();
  }

  BitSet aborted() {
    return (BitSet) aborted.clone();
  }
}
