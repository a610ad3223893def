package io.zdl.spark.kafka;

import io.zdl.spark.kafka.config.DelegationTokenClusters;
import io.zdl.spark.kafka.config.KafkaSourceConf;
import io.zdl.spark.kafka.read.KafkaRecordSchema;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
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
    KafkaSourceConf conf = KafkaSourceConf.parse(properties);
    conf.kafkaParams().checkDelegationTokens(sparkConfClusters());
    return new KafkaTable(conf);
  }

  /** The session's {@code spark.kafka.clusters.*} settings; empty without an active session. */
  private static Map<String, String> sparkConfClusters() {
    Map<String, String> result = new java.util.HashMap<>();
    scala.Option<SparkSession> session = SparkSession.getActiveSession();
    if (session.isDefined()) {
      for (scala.Tuple2<String, String> e : session.get().sparkContext().getConf()
          .getAllWithPrefix(DelegationTokenClusters.PREFIX)) {
        result.put(DelegationTokenClusters.PREFIX + e._1(), e._2());
      }
    }
    return result;
  }
}
