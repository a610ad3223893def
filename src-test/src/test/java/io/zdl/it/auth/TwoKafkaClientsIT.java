package io.zdl.it.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.support.Queries;
import io.zdl.it.support.TestRecords;
import io.zdl.spark.kafka.ZdlKafkaSourceProvider;
import io.zdl.test.kafka.KafkaAuth;
import io.zdl.test.kafka.KafkaBroker;
import io.zdl.test.process.ChildJvm;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spark's built-in {@code kafka} source (the runtime's own client) and {@code zdl-kafka} (its relocated client)
 * log in with OAUTHBEARER and SCRAM in one JVM, whichever of them used the mechanism first. Kafka registers
 * those SASL clients as JVM-wide security providers; each order runs in a fresh JVM, where nothing is
 * registered yet. The broker is a Kafka 4 one: the 3.3 test broker keeps no SCRAM credentials in KRaft mode
 * (Kafka 3.5 added them), and both logins must succeed and read every record.
 */
class TwoKafkaClientsIT {
  private static final int RECORDS = 30;
  private static KafkaBroker broker;
  private static String topic;

  @BeforeAll
  static void startBroker() {
    broker = KafkaBroker.startKafka4(Queries.newDir("kafka-two-clients"), KafkaAuth.saslListeners());
    KafkaAuth.createScramUser(broker);
    topic = Queries.unique("two-clients");
    broker.createTopic(topic, 2);
    TestRecords.produce(broker, topic, 2, 0, RECORDS);
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"kafka,zdl-kafka", "zdl-kafka,kafka"})
  void bothClientsLogInWithOauthbearerAndScramWhicheverRegisteredFirst(String order) throws Exception {
    String connectorJar = ZdlKafkaSourceProvider.class.getProtectionDomain().getCodeSource().getLocation().getPath();
    assertTrue(connectorJar.endsWith(".jar"), "run with `mvn verify` so the connector is its shaded jar: " + connectorJar);
    Path out = Queries.newDir("two-clients");
    List<String> cmd = ChildJvm.javaCommand("1g");
    cmd.add("-cp");
    cmd.add(ChildJvm.classpath());
    cmd.add(TwoKafkaClientsMain.class.getName());
    cmd.add(broker.bootstrapServers(KafkaAuth.SASL_PLAINTEXT));
    cmd.add(topic);
    cmd.add(order);
    cmd.add(KafkaAuth.OAUTHBEARER + "," + KafkaAuth.SCRAM);
    cmd.add(out.toString());
    Path log = out.resolve("child.log");
    int exit = ChildJvm.awaitExit(ChildJvm.start(cmd, out, log), Duration.ofMinutes(5));
    assertEquals(0, exit, () -> "the child JVM failed:\n" + ChildJvm.tail(log, 8000));

    Properties report = new Properties();
    try (InputStream in = Files.newInputStream(out.resolve("report.properties"))) {
      report.load(in);
    }
    for (String format : order.split(",")) {
      assertEquals(Integer.toString(RECORDS), report.getProperty(format + "." + KafkaAuth.OAUTHBEARER),
          () -> format + " with OAUTHBEARER (order " + order + "): " + report);
      assertEquals(Integer.toString(RECORDS), report.getProperty(format + "." + KafkaAuth.SCRAM),
          () -> format + " with SCRAM (order " + order + "): " + report);
    }
  }
}
