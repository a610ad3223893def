package io.zdl.spark.kafka.read;

import io.zdl.spark.line.LineInternalRow;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.catalyst.util.MapData;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.unsafe.types.CalendarInterval;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * The current record as a row of {@link KafkaRecordSchema}, reused for every record of a task.
 * Partition, offset, timestamp and its type stay primitives: a {@link GenericInternalRow} would box
 * offset and timestamp into two new objects per record, only for Spark's projection to unbox them.
 * Spark copies the row into an UnsafeRow before it goes on, so the next record may overwrite it.
 */
final class KafkaRecordRow extends LineInternalRow {
  private static final long serialVersionUID = 1L;

  static final int KEY = 0;
  static final int VALUE = 1;
  static final int TOPIC = 2;
  static final int PARTITION = 3;
  static final int OFFSET = 4;
  static final int TIMESTAMP = 5;
  static final int TIMESTAMP_TYPE = 6;
  static final int HEADERS = 7;

  private final int numFields;
  private final UTF8String topic;
  private final int partition;
  private byte[] key;
  private byte[] value;
  private long offset;
  private long timestampMicros;
  private int timestampType;
  private ArrayData headers;

  KafkaRecordRow(UTF8String topic, int partition, boolean includeHeaders) {
    this.numFields = includeHeaders ? 8 : 7;
    this.topic = topic;
    this.partition = partition;
  }

  void set(byte[] key, byte[] value, long offset, long timestampMicros, int timestampType, ArrayData headers) {
    this.key = key;
    this.value = value;
    this.offset = offset;
    this.timestampMicros = timestampMicros;
    this.timestampType = timestampType;
    this.headers = headers;
  }

  @Override
  public int numFields() {
    return numFields;
  }

  @Override
  public boolean isNullAt(int ordinal) {
    switch (checked(ordinal)) {
      case KEY:
        return key == null;
      case VALUE:
        return value == null;
      case HEADERS:
        return headers == null;
      default:
        return false;
    }
  }

  @Override
  public byte[] getBinary(int ordinal) {
    switch (checked(ordinal)) {
      case KEY:
        return key;
      case VALUE:
        return value;
      default:
        throw wrongType(ordinal, "binary");
    }
  }

  @Override
  public UTF8String getUTF8String(int ordinal) {
    if (checked(ordinal) != TOPIC) {
      throw wrongType(ordinal, "string");
    }
    return topic;
  }

  @Override
  public int getInt(int ordinal) {
    switch (checked(ordinal)) {
      case PARTITION:
        return partition;
      case TIMESTAMP_TYPE:
        return timestampType;
      default:
        throw wrongType(ordinal, "int");
    }
  }

  @Override
  public long getLong(int ordinal) {
    switch (checked(ordinal)) {
      case OFFSET:
        return offset;
      case TIMESTAMP:
        return timestampMicros;
      default:
        throw wrongType(ordinal, "long or timestamp");
    }
  }

  @Override
  public ArrayData getArray(int ordinal) {
    if (checked(ordinal) != HEADERS) {
      throw wrongType(ordinal, "array");
    }
    return headers;
  }

  /** The boxed value, as interpreted (non-generated) expressions read it. */
  @Override
  public Object get(int ordinal, DataType dataType) {
    switch (checked(ordinal)) {
      case KEY:
        return key;
      case VALUE:
        return value;
      case TOPIC:
        return topic;
      case PARTITION:
        return partition;
      case OFFSET:
        return offset;
      case TIMESTAMP:
        return timestampMicros;
      case TIMESTAMP_TYPE:
        return timestampType;
      default:
        return headers;
    }
  }

  /** A row that keeps this record's values when the next record overwrites this one. */
  @Override
  public InternalRow copy() {
    Object[] values = new Object[numFields];
    for (int i = 0; i < numFields; i++) {
      values[i] = get(i, null);
    }
    return new GenericInternalRow(values);
  }

  @Override
  public void setNullAt(int ordinal) {
    throw new UnsupportedOperationException("a Kafka record row is read-only");
  }

  @Override
  public void update(int ordinal, Object value) {
    throw new UnsupportedOperationException("a Kafka record row is read-only");
  }

  @Override
  public boolean getBoolean(int ordinal) {
    throw wrongType(ordinal, "boolean");
  }

  @Override
  public byte getByte(int ordinal) {
    throw wrongType(ordinal, "byte");
  }

  @Override
  public short getShort(int ordinal) {
    throw wrongType(ordinal, "short");
  }

  @Override
  public float getFloat(int ordinal) {
    throw wrongType(ordinal, "float");
  }

  @Override
  public double getDouble(int ordinal) {
    throw wrongType(ordinal, "double");
  }

  @Override
  public Decimal getDecimal(int ordinal, int precision, int scale) {
    throw wrongType(ordinal, "decimal");
  }

  @Override
  public CalendarInterval getInterval(int ordinal) {
    throw wrongType(ordinal, "interval");
  }

  @Override
  public InternalRow getStruct(int ordinal, int numFields) {
    throw wrongType(ordinal, "struct");
  }

  @Override
  public MapData getMap(int ordinal) {
    throw wrongType(ordinal, "map");
  }

  @Override
  public String toString() {
    return "KafkaRecordRow(" + topic + ", " + partition + ", " + offset + ")";
  }

  private int checked(int ordinal) {
    if (ordinal < 0 || ordinal >= numFields) {
      throw new IndexOutOfBoundsException("column " + ordinal + " of a Kafka record row with " + numFields + " columns");
    }
    return ordinal;
  }

  private UnsupportedOperationException wrongType(int ordinal, String type) {
    return new UnsupportedOperationException("column " + ordinal + " of a Kafka record row is not of type " + type);
  }
}
