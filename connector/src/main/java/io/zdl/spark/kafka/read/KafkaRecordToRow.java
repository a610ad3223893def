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
  private final KafkaRecordRow row;

  KafkaRecordToRow(String topic, int partition, boolean includeHeaders) {
    this.includeHeaders = includeHeaders;
    this.row = new KafkaRecordRow(UTF8String.fromString(topic), partition, includeHeaders);
  }

  InternalRow convert(ConsumerRecord<byte[], byte[]> record) {
    // Spark timestamps are microseconds
    row.set(record.key(), record.value(), record.offset(), record.timestamp() * 1000L, record.timestampType().id,
        includeHeaders ? headers(record) : null);
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
