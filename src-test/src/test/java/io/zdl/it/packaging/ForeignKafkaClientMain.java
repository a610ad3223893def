package io.zdl.it.packaging;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.AppInfoParser;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * Run by {@link ForeignKafkaClientIT} in a child JVM whose classpath holds Spark, the shaded connector jar
 * and a kafka-clients release other than the one zdl shades, as a Databricks or EMR cluster does. Uses that
 * unshaded client itself (an Admin listing topics), then streams the topic through {@code zdl-kafka} into
 * Parquet, and writes what it saw to a properties file.
 *
 * <p>Arguments: bootstrap servers, topic, output folder.
 */
public final class ForeignKafkaClientMain {
  private ForeignKafkaClientMain() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    Path out = Paths.get(args[2]);
    Properties report = new Properties();
    report.setProperty("unshadedKafkaVersion", AppInfoParser.getVersion());
    report.setProperty("unshadedKafkaJar", codeSource(Admin.class));
    report.setProperty("connectorJar", codeSource(Class.forName("io.zdl.spark.kafka.ZdlKafkaSourceProvider")));

    Properties adminProps = new Properties();
    adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin admin = Admin.create(adminProps)) {
      Set<String> topics = admin.listTopics().names().get(60, TimeUnit.SECONDS);
      report.setProperty("unshadedAdminSeesTopic", Boolean.toString(topics.contains(topic)));
    }

    SparkSession spark = SparkSession.builder().master("local[1]").appName("zdl-foreign-kafka-client")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.local.dir", out.resolve("spark-local").toString())
        .getOrCreate();
    StreamingQuery query = spark.readStream().format("zdl-kafka")
        .option("kafka.bootstrap.servers", bootstrap).option("subscribe", topic)
        .option("startingOffsets", "earliest").option("includeHeaders", "true")
        .load()
        .writeStream().format("parquet")
        .option("checkpointLocation", out.resolve("checkpoint").toString())
        .trigger(Trigger.AvailableNow())
        .start(out.resolve("rows").toString());
    if (!query.awaitTermination(TimeUnit.MINUTES.toMillis(4))) {
      query.stop();
      throw new IllegalStateException("the AvailableNow query did not finish within 4 minutes");
    }
    spark.stop();

    try (OutputStream os = Files.newOutputStream(out.resolve("report.properties"))) {
      report.store(os, "written by " + ForeignKafkaClientMain.class.getSimpleName());
    }
  }

  private static String codeSource(Class<?> c) {
    return c.getProtectionDomain().getCodeSource().getLocation().toString();
  }
}
