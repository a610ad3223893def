package io.zdl.spark.kafka;

import io.zdl.spark.kafka.config.KafkaSourceConf;
import io.zdl.spark.kafka.read.KafkaRecordSchema;
import java.util.Map;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * Registers {@code format("zdl-kafka")}. All options are parsed and validated when the DataFrame
 * is defined ({@code load()}), so a bad option fails there, naming the option.
 */
public final class ZdlKafkaSourceProvider implements TableProvider, DataSourceRegister {
  public static final String SHORT_NAME = "zdl-kafka";

  @Override
  public String shortName() {
    return SHORT_NAME;
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return KafkaRecordSchema.of(KafkaSourceConf.parse(options.asCaseSensitiveMap()).includeHeaders());
  }

  @Override
  public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
    return new KafkaTable(KafkaSourceConf.parse(properties));
  }
}
