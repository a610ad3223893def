package io.zdl.it.auth;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Properties;
import org.apache.spark.sql.SparkSession;

/**
 * Run by {@link AuthenticatedKafkaIT} in a JVM whose classpath also holds aws-msk-iam-auth and its AWS SDK:
 * batch-reads a topic with {@code zdl-kafka} once with the plugin's OAUTHBEARER login callback handler and once
 * with its AWS_MSK_IAM mechanism, AWS credentials coming from system properties (no AWS account is reached), and
 * writes each read's outcome to a properties file. The test broker knows neither IAM tokens nor AWS_MSK_IAM, so
 * both reads fail; how they fail shows how far the plugin got.
 *
 * <p>Arguments: SASL_PLAINTEXT bootstrap servers, topic, output folder.
 */
public final class MskIamMain {
  private MskIamMain() {}

  public static void main(String[] args) throws Exception {
    String bootstrap = args[0];
    String topic = args[1];
    Path out = Paths.get(args[2]);
    SparkSession spark = SparkSession.builder().master("local[1]").appName("zdl-msk-iam")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "1")
        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.local.dir", out.resolve("spark-local").toString()).getOrCreate();
    Properties report = new Properties();
    String kafka = String.join(".", "org", "apache", "kafka");
    report.setProperty("OAUTHBEARER", read(spark, bootstrap, topic, "OAUTHBEARER",
        kafka + ".common.security.oauthbearer.OAuthBearerLoginModule required;",
        "software.amazon.msk.auth.iam.IAMOAuthBearerLoginCallbackHandler"));
    report.setProperty("AWS_MSK_IAM", read(spark, bootstrap, topic, "AWS_MSK_IAM",
        "software.amazon.msk.auth.iam.IAMLoginModule required;", null));
    spark.stop();
    try (OutputStream os = Files.newOutputStream(out.resolve("report.properties"))) {
      report.store(os, "written by " + MskIamMain.class.getSimpleName());
    }
  }

  private static String read(SparkSession spark, String bootstrap, String topic, String mechanism, String jaas,
      String loginHandler) {
    try {
      org.apache.spark.sql.DataFrameReader r = spark.read().format("zdl-kafka")
          .option("kafka.bootstrap.servers", bootstrap).option("subscribe", topic)
          .option("kafka.security.protocol", "SASL_PLAINTEXT").option("kafka.sasl.mechanism", mechanism)
          .option("kafka.sasl.jaas.config", jaas)
          .option("kafka.sasl.client.callback.handler.class", loginHandler != null ? loginHandler
              : "software.amazon.msk.auth.iam.IAMClientCallbackHandler")
          .option("kafka.request.timeout.ms", "10000").option("kafka.default.api.timeout.ms", "20000");
      if (loginHandler != null) {
        r = r.option("kafka.sasl.login.callback.handler.class", loginHandler);
      }
      return "rows: " + r.load().count();
    } catch (Throwable t) {
      StringBuilder sb = new StringBuilder("error:");
      for (Throwable c = t; c != null; c = c.getCause()) {
        sb.append(' ').append(c.getClass().getName()).append(": ").append(c.getMessage()).append(" |");
      }
      return sb.toString();
    }
  }
}
