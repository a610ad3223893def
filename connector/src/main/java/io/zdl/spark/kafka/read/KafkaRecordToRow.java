package io.zdl.spark.kafka.read;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Kafka record to Spark row, the per-record hot path. One mutable row is reused: Spark's scan
 * copies it into an UnsafeRow right away, so building it costs no byte copies of key or value.
 */
final class KafkaRecordToRow {
  private final boolean includeHeaders;
  private final GenericInternalRow row;
  private final UTF8String topic;
  private final int partition;

  KafkaRecordToRow(String topic, int partition, boolean includeHeaders) {
    this.includeHeaders = includeHeaders;
    this.row = new GenericInternalRow(includeHeaders ? 8 : 7);
    this.topic = UTF8String.fromString(topic);
    this.partition = partition;
  }

  InternalRow convert(ConsumerRecord<byte[], byte[]> record) {
    row.update(0, record.key());
    row.update(1, record.value());
    row.update(2, topic);
    row.setInt(3, partition);
    row.setLong(4, record.offset());
    row.setLong(5, record.timestamp() * 1000L); // Spark timestamps are microseconds
    row.setInt(6, record.timestampType().id);
    if (includeHeaders) {
      row.update(7, headers(record));
    }
    return row;
  }

  /** As Spark's source does: null when the record has no headers. */
  private static GenericArrayData headers(ConsumerRecord<byte[], byte[]> record) {
    if (!record.headers().iterator().hasNext()) {
      return null;
    }
    List<Object> rows = new ArrayList<>();
    for (Header h : record.headers()) {
      rows.add(new GenericInternalRow(new Object[] {UTF8String.fromString(h.key()), h.value()}));
    }
    return new GenericArrayData(rows.toArray());
  }
}
