package io.zdl.spark.kafka.read;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** The row schema, the same as Spark's built-in Kafka source, column for column. */
public final class KafkaRecordSchema {
  public static final String KEY = "key";
  public static final String VALUE = "value";
  public static final String TOPIC = "topic";
  public static final String PARTITION = "partition";
  public static final String OFFSET = "offset";
  public static final String TIMESTAMP = "timestamp";
  public static final String TIMESTAMP_TYPE = "timestampType";
  public static final String HEADERS = "headers";

  public static final StructType HEADER_TYPE = new StructType(new StructField[] {
      DataTypes.createStructField("key", DataTypes.StringType, true),
      DataTypes.createStructField("value", DataTypes.BinaryType, true)});

  private KafkaRecordSchema() {}

  public static StructType of(boolean includeHeaders) {
    StructType schema = new StructType()
        .add(KEY, DataTypes.BinaryType, true)
        .add(VALUE, DataTypes.BinaryType, true)
        .add(TOPIC, DataTypes.StringType, true)
        .add(PARTITION, DataTypes.IntegerType, true)
        .add(OFFSET, DataTypes.LongType, true)
        .add(TIMESTAMP, DataTypes.TimestampType, true)
        .add(TIMESTAMP_TYPE, DataTypes.IntegerType, true);
    return includeHeaders ? schema.add(HEADERS, DataTypes.createArrayType(HEADER_TYPE, true), true) : schema;
  }
}
