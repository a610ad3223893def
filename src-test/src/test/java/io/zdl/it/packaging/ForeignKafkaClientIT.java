package io.zdl.it.packaging;

import static io.zdl.it.support.Queries.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.support.Queries;
import io.zdl.it.support.TestRecords;
import io.zdl.it.support.TestRecords.Produced;
import io.zdl.spark.kafka.ZdlKafkaSourceProvider;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.process.ChildJvm;
import io.zdl.test.spark.SparkTestSession;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shaded jar in a fresh JVM (a new system class loader) beside a kafka-clients release other than the
 * one zdl shades, as on a Databricks or EMR cluster that ships its own: both clients work in one JVM, and
 * zdl-kafka reads the topic record for record.
 */
class ForeignKafkaClientIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  /** Jars of Kafka itself and of Spark's own Kafka connector: the child gets the foreign client instead. */
  private static final Pattern KAFKA_JARS =
      Pattern.compile("(kafka-clients|kafka_2\\.1[23]|kafka-[a-z-]+|spark-sql-kafka-0-10_2\\.1[23]|spark-token-provider-kafka-0-10_2\\.1[23])-[0-9][^" + Pattern.quote(File.separator) + "]*\\.jar");

  @Test
  void theShadedJarReadsATopicBesideADifferentKafkaClient() throws Exception {
    Path otherKafkaJar = Path.of(System.getProperty("zdl.test.otherKafka.jar"));
    String otherVersion = System.getProperty("zdl.test.otherKafka.version");
    assertTrue(Files.isRegularFile(otherKafkaJar), "copied by the build: " + otherKafkaJar);
    String connectorJar = ZdlKafkaSourceProvider.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    assertTrue(connectorJar.endsWith(".jar"), "run with `mvn verify` so the connector is its shaded jar: " + connectorJar);

    String topic = unique("foreign-client");
    KAFKA.broker().createTopic(topic, 2);
    List<Produced> produced = TestRecords.produce(KAFKA.broker(), topic, 2, 0, 60);

    List<String> classpath = new ArrayList<>();
    int dropped = 0;
    for (String entry : ChildJvm.classpath().split(File.pathSeparator)) {
      if (KAFKA_JARS.matcher(new File(entry).getName()).matches()) {
        dropped++;
      } else {
        classpath.add(entry);
      }
    }
    assertTrue(dropped > 0, "the test classpath held Kafka's own jars, now left out");
    // first, as a cluster's own jars come before the ones a job adds; the connector jar's version file is
    // relocated, so the foreign client reports its own version wherever the jars stand
    classpath.add(0, otherKafkaJar.toString());

    Path out = Queries.newDir("foreign-client");
    List<String> cmd = ChildJvm.javaCommand("1g");
    cmd.add("-cp");
    cmd.add(String.join(File.pathSeparator, classpath));
    cmd.add(ForeignKafkaClientMain.class.getName());
    cmd.add(KAFKA.broker().bootstrapServers());
    cmd.add(topic);
    cmd.add(out.toString());
    Path log = out.resolve("child.log");
    int exit = ChildJvm.awaitExit(ChildJvm.start(cmd, out, log), Duration.ofMinutes(6));
    assertEquals(0, exit, () -> "the child JVM failed:\n" + ChildJvm.tail(log, 8000));

    Properties report = new Properties();
    try (InputStream in = Files.newInputStream(out.resolve("report.properties"))) {
      report.load(in);
    }
    assertEquals(otherVersion, report.getProperty("unshadedKafkaVersion"), "the unshaded client is the foreign one");
    assertTrue(report.getProperty("unshadedKafkaJar").endsWith(otherKafkaJar.getFileName().toString()), report::toString);
    assertTrue(report.getProperty("connectorJar").endsWith(new File(connectorJar).getName()), report::toString);
    assertEquals("true", report.getProperty("unshadedAdminSeesTopic"));

    List<Row> rows = SparkTestSession.get().read().parquet(out.resolve("rows").toString()).collectAsList();
    assertEquals(TestRecords.canonical(produced, true), TestRecords.canonicalRows(rows));
  }
}
