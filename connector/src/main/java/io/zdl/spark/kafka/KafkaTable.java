package io.zdl.spark.kafka;

import io.zdl.spark.kafka.config.KafkaSourceConf;
import io.zdl.spark.kafka.read.KafkaRecordSchema;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/** Wiring: the Kafka topics as a readable table. */
final class KafkaTable implements SupportsRead {
  private final KafkaSourceConf conf;

  KafkaTable(KafkaSourceConf conf) {
    this.conf = conf;
  }

  @Override
  public String name() {
    return conf.toString();
  }

  @Override
  public StructType schema() {
    return KafkaRecordSchema.of(conf.includeHeaders());
  }

  @Override
  public Set<TableCapability> capabilities() {
    return Collections.unmodifiableSet(EnumSet.of(TableCapability.BATCH_READ, TableCapability.MICRO_BATCH_READ));
  }

  @Override
  public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
    return new KafkaScan(conf); // options were parsed and validated when the table was made
  }
}
