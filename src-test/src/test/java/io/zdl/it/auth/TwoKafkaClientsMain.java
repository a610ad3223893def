package io.zdl.it.auth;

import io.zdl.test.kafka.KafkaAuth;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Properties;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.SparkSession;

/**
 * Run by {@link TwoKafkaClientsIT} in a fresh JVM: batch-reads one topic over SASL with Spark's built-in
 * {@code kafka} source (the runtime's unrelocated client) and with {@code zdl-kafka} (the relocated one), in the
 * order given, once per mechanism, and writes each read's row count or error to a properties file.
 *
 * <p>Arguments: SASL bootstrap servers, topic, order ({@code kafka,zdl-kafka} or {@code zdl-kafka,kafka}),
 * mechanisms (comma-separated), output folder.
 */
public final class TwoKafkaClientsMain {
  private TwoKafkaClientsMain() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    String[] formats = args[2].split(",");
    String[] mechanisms = args[3].split(",");
    Path out = Paths.get(args[4]);
    SparkSession spark = SparkSession.builder().master("local[1]").appName("zdl-two-kafka-clients")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.local.dir", out.resolve("spark-local").toString())
        .getOrCreate();
    Properties report = new Properties();
    for (String format : formats) {
      for (String mechanism : mechanisms) {
        String key = format + "." + mechanism;
        try {
          DataFrameReader reader = spark.read().format(format).option("subscribe", topic)
              .option("startingOffsets", "earliest").option("endingOffsets", "latest")
              .option("kafka.bootstrap.servers", bootstrap)
              // an authentication failure must end the read in seconds, not after Kafka's 60 s defaults
              .option("kafka.request.timeout.ms", "10000").option("kafka.default.api.timeout.ms", "20000");
          for (Map.Entry<String, String> e : KafkaAuth.clientSettings(mechanism).entrySet()) {
            reader = reader.option("kafka." + e.getKey(), e.getValue());
          }
          report.setProperty(key, Long.toString(reader.load().count()));
        } catch (Throwable t) {
          StringBuilder sb = new StringBuilder("error:");
          for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(' ').append(c.getClass().getName()).append(": ").append(c.getMessage()).append(" |");
          }
          report.setProperty(key, sb.toString());
        }
      }
    }
    spark.stop();
    try (OutputStream os = Files.newOutputStream(out.resolve("report.properties"))) {
      report.store(os, "written by " + TwoKafkaClientsMain.class.getSimpleName());
    }
  }
}
