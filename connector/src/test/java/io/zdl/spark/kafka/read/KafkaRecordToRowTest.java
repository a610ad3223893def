package io.zdl.spark.kafka.read;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/** The row the reader hands Spark, read the ways Spark reads it: projected, copied, interpreted. */
class KafkaRecordToRowTest {
  private static final long OFFSET = 5_000_000_000L;
  private static final long TIMESTAMP_MS = 1_700_000_000_123L;

  @Test
  void theUnsafeProjectionSparkAppliesSeesEveryColumn() {
    KafkaRecordToRow toRow = new KafkaRecordToRow("events", 3, false);
    UnsafeRow row = UnsafeProjection.create(KafkaRecordSchema.of(false))
        .apply(toRow.convert(record(bytes("k"), bytes("v1"), new RecordHeaders())));

    assertEquals(7, row.numFields());
    assertArrayEquals(bytes("k"), row.getBinary(0));
    assertArrayEquals(bytes("v1"), row.getBinary(1));
    assertEquals("events", row.getUTF8String(2).toString());
    assertEquals(3, row.getInt(3));
    assertEquals(OFFSET, row.getLong(4));
    assertEquals(TIMESTAMP_MS * 1000L, row.getLong(5), "Spark timestamps are microseconds");
    assertEquals(TimestampType.LOG_APPEND_TIME.id, row.getInt(6));
  }

  @Test
  void nullKeyAndValueStayNull() {
    InternalRow row = new KafkaRecordToRow("events", 0, false).convert(record(null, null, new RecordHeaders()));
    assertTrue(row.isNullAt(0));
    assertTrue(row.isNullAt(1));
    assertFalse(row.isNullAt(4));
    UnsafeRow projected = UnsafeProjection.create(KafkaRecordSchema.of(false)).apply(row);
    assertTrue(projected.isNullAt(0));
    assertTrue(projected.isNullAt(1));
  }

  @Test
  void headersAreAnArrayOfKeyValueStructsOrNullWhenThereAreNone() {
    KafkaRecordToRow toRow = new KafkaRecordToRow("events", 1, true);
    RecordHeaders headers = new RecordHeaders();
    headers.add("trace", bytes("abc"));
    UnsafeProjection projection = UnsafeProjection.create(KafkaRecordSchema.of(true));

    UnsafeRow with = projection.apply(toRow.convert(record(null, bytes("v"), headers))).copy();
    ArrayData array = with.getArray(7);
    assertEquals(1, array.numElements());
    assertEquals("trace", array.getStruct(0, 2).getUTF8String(0).toString());
    assertArrayEquals(bytes("abc"), array.getStruct(0, 2).getBinary(1));

    UnsafeRow without = projection.apply(toRow.convert(record(null, bytes("v"), new RecordHeaders())));
    assertTrue(without.isNullAt(7), "as Spark's source: null when a record has no headers");
  }

  @Test
  void aCopyKeepsItsRecordWhenTheRowMovesOn() {
    KafkaRecordToRow toRow = new KafkaRecordToRow("events", 2, false);
    InternalRow first = toRow.convert(record(bytes("a"), bytes("first"), new RecordHeaders())).copy();
    toRow.convert(new ConsumerRecord<>("events", 2, OFFSET + 1, TIMESTAMP_MS + 1, TimestampType.CREATE_TIME, -1, 6,
        bytes("b"), bytes("second"), new RecordHeaders(), Optional.empty()));

    assertArrayEquals(bytes("first"), first.getBinary(1));
    assertEquals(OFFSET, first.getLong(4));
    assertEquals(TIMESTAMP_MS * 1000L, first.getLong(5));
    assertEquals(2, first.getInt(3));
    assertEquals("events", first.getUTF8String(2).toString());
  }

  @Test
  void interpretedReadsGetTheBoxedValues() {
    InternalRow row = new KafkaRecordToRow("events", 4, false).convert(record(null, bytes("v"), new RecordHeaders()));
    assertEquals(OFFSET, row.get(4, DataTypes.LongType));
    assertEquals(4, row.get(3, DataTypes.IntegerType));
    assertNull(row.get(0, DataTypes.BinaryType));
  }

  @Test
  void aWrongColumnOrTypeOrAWriteIsRefused() {
    InternalRow row = new KafkaRecordToRow("events", 4, false).convert(record(null, bytes("v"), new RecordHeaders()));
    assertThrows(IndexOutOfBoundsException.class, () -> row.isNullAt(7), "no headers column when not asked for");
    assertThrows(UnsupportedOperationException.class, () -> row.getLong(1));
    assertThrows(UnsupportedOperationException.class, () -> row.update(1, null));
  }

  private static ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value, RecordHeaders headers) {
    return new ConsumerRecord<>("events", 3, OFFSET, TIMESTAMP_MS, TimestampType.LOG_APPEND_TIME, -1,
        value == null ? -1 : value.length, key, value, headers, Optional.empty());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
