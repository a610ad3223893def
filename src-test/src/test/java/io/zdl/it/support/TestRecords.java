package io.zdl.it.support;

import io.zdl.test.kafka.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.spark.sql.Row;

/**
 * Produces records whose every field is checkable (null keys and values, headers with null values,
 * explicit timestamps) and compares them with Spark rows field by field, as canonical strings.
 */
public final class TestRecords {
  private static final HexFormat HEX = HexFormat.of();
  /**
   * Explicit record timestamps start here, one millisecond apart: an hour before this JVM started,
   * whole seconds. Not a fixed date years back: the broker judges producers and retention by record
   * timestamps, and forgets an idempotent producer whose newest record is older than a day (at its
   * 10-minute check), which then fails mid-send with OUT_OF_ORDER_SEQUENCE_NUMBER.
   */
  public static final long BASE_TIMESTAMP_MS = (System.currentTimeMillis() / 1000 - 3600) * 1000;

  private TestRecords() {}

  /** A record as produced, with where Kafka put it. */
  public record Produced(String topic, int partition, long offset, byte[] key, byte[] value, long timestampMs,
      List<String[]> headers) {
    public String canonical(boolean withHeaders) {
      return TestRecords.canonical(topic, partition, offset, key, value, timestampMs, 0,
          withHeaders ? headers : null);
    }
  }

  /**
   * Produces {@code count} records numbered from {@code first}, round-robin over {@code partitions},
   * and waits until all are acknowledged.
   */
  public static List<Produced> produce(KafkaBroker broker, String topic, int partitions, int first, int count) {
    return produce(broker::newProducer, topic, i -> i % partitions, first, count);
  }

  /** As {@link #produce(KafkaBroker, String, int, int, int)}, with a producer from {@code producers} (a cluster's). */
  public static List<Produced> produce(java.util.function.Supplier<KafkaProducer<byte[], byte[]>> producers,
      String topic, int partitions, int first, int count) {
    return produce(producers, topic, i -> i % partitions, first, count);
  }

  /** The record compression codecs a Kafka producer offers (besides none). */
  public static final List<String> CODECS = Arrays.asList("gzip", "snappy", "lz4", "zstd");

  /**
   * Produces {@code countPerCodec} records with each of {@link #CODECS} in turn, numbered on from {@code first},
   * round-robin over {@code partitions}: a reader then decompresses every codec, with its runtime's own codec
   * libraries (the connector bundles the Kafka client, not its codecs).
   */
  public static List<Produced> produceCompressed(KafkaBroker broker, String topic, int partitions, int first,
      int countPerCodec) {
    List<Produced> out = new ArrayList<>();
    for (String codec : CODECS) {
      Properties props = broker.producerProperties();
      props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
      out.addAll(produce(() -> new KafkaProducer<>(props), topic, i -> i % partitions, first + out.size(),
          countPerCodec));
    }
    return out;
  }

  /** Produces {@code count} records numbered from {@code first}, all to partition {@code partition}. */
  public static List<Produced> produceToPartition(KafkaBroker broker, String topic, int partition, int first,
      int count) {
    return produce(broker::newProducer, topic, i -> partition, first, count);
  }

  private static List<Produced> produce(java.util.function.Supplier<KafkaProducer<byte[], byte[]>> producers,
      String topic, java.util.function.IntUnaryOperator partitionOf, int first, int count) {
    List<Produced> out = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = producers.get()) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      List<ProducerRecord<byte[], byte[]>> sent = new ArrayList<>();
      for (int i = first; i < first + count; i++) {
        byte[] key = i % 7 == 3 ? null : ("key-" + i).getBytes(StandardCharsets.UTF_8);
        byte[] value = i % 11 == 5 ? null : ("value-" + i + "-\u00e9\u4e2d").getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        if (i % 3 == 0) {
          headers.add(new RecordHeader("trace", ("t" + i).getBytes(StandardCharsets.UTF_8)));
          headers.add(new RecordHeader("empty", null));
        }
        ProducerRecord<byte[], byte[]> r =
            new ProducerRecord<>(topic, partitionOf.applyAsInt(i), BASE_TIMESTAMP_MS + i, key, value, headers);
        sent.add(r);
        acks.add(producer.send(r));
      }
      producer.flush();
      for (int j = 0; j < acks.size(); j++) {
        RecordMetadata m = acks.get(j).get(60, TimeUnit.SECONDS);
        ProducerRecord<byte[], byte[]> r = sent.get(j);
        List<String[]> hs = new ArrayList<>();
        r.headers().forEach(h -> hs.add(new String[] {h.key(), h.value() == null ? null : HEX.formatHex(h.value())}));
        out.add(new Produced(topic, m.partition(), m.offset(), r.key(), r.value(), r.timestamp(), hs));
      }
    } catch (Exception e) {
      throw new IllegalStateException("producing to " + topic + " failed", e);
    }
    return out;
  }

  public static List<String> canonical(List<Produced> produced, boolean withHeaders) {
    return produced.stream().map(p -> p.canonical(withHeaders)).sorted().toList();
  }

  /** Rows of the Kafka schema (7 columns, or 8 with headers) as sorted canonical strings. */
  public static List<String> canonicalRows(List<Row> rows) {
    List<String> out = new ArrayList<>();
    for (Row row : rows) {
      List<String[]> headers = null;
      if (row.size() > 7) {
        headers = new ArrayList<>();
        if (!row.isNullAt(7)) {
          for (Row h : row.<Row>getList(7)) {
            headers.add(new String[] {h.getString(0), h.isNullAt(1) ? null : HEX.formatHex((byte[]) h.get(1))});
          }
        }
      }
      out.add(canonical(row.getString(2), row.getInt(3), row.getLong(4), (byte[]) row.get(0), (byte[]) row.get(1),
          row.getTimestamp(5).getTime(), row.getInt(6), headers));
    }
    out.sort(null);
    return out;
  }

  private static String canonical(String topic, int partition, long offset, byte[] key, byte[] value, long ts,
      int tsType, List<String[]> headers) {
    StringBuilder sb = new StringBuilder()
        .append(topic).append('|').append(partition).append('|').append(String.format("%012d", offset)).append('|')
        .append(key == null ? "null" : HEX.formatHex(key)).append('|')
        .append(value == null ? "null" : HEX.formatHex(value)).append('|')
        .append(ts).append('|').append(tsType);
    if (headers != null) {
      sb.append('|');
      for (String[] h : headers) {
        sb.append(h[0]).append('=').append(h[1]).append(';');
      }
    }
    return sb.toString();
  }
}
