package io.zdl.it.source;

import static io.zdl.it.support.Queries.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.support.TestRecords;
import io.zdl.it.support.TestRecords.Produced;
import io.zdl.spark.kafka.ZdlKafkaSourceProvider;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.util.List;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The integration suites run against the published, shaded connector jar (Maven hands the reactor's
 * packaged jar to this module), not the classes folder; this test proves it and reads through it.
 */
class ShadedJarIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  @Test
  void theConnectorOnTheTestClasspathIsTheShadedJarWithRelocatedKafka() throws Exception {
    String location = ZdlKafkaSourceProvider.class.getProtectionDomain().getCodeSource().getLocation().toString();
    assertTrue(location.endsWith(".jar"),
        "the connector must come from its shaded jar (run `mvn verify`, not `mvn test`): " + location);
    Class<?> relocated = Class.forName("io.zdl.shaded.org.apache.kafka.clients.consumer.KafkaConsumer");
    assertEquals(location, relocated.getProtectionDomain().getCodeSource().getLocation().toString());
  }

  @Test
  void everyClassInTheJarLoadsOnJava8() throws Exception {
    java.nio.file.Path jar = java.nio.file.Path.of(
        ZdlKafkaSourceProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    int classes = 0;
    List<String> tooNew = new java.util.ArrayList<>();
    try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
      for (java.util.jar.JarEntry e : java.util.Collections.list(file.entries())) {
        if (!e.getName().endsWith(".class") || e.getName().startsWith("META-INF/versions/")) {
          continue; // multi-release entries are only loaded by the newer JVMs they target
        }
        try (java.io.DataInputStream in = new java.io.DataInputStream(file.getInputStream(e))) {
          in.readInt(); // magic
          in.readUnsignedShort(); // minor
          int major = in.readUnsignedShort();
          if (major > 52) {
            tooNew.add(e.getName() + " (" + major + ")");
          }
        }
        classes++;
      }
    }
    assertTrue(classes > 1000, "the jar holds zdl and the relocated Kafka client: " + classes + " classes");
    assertEquals(List.of(), tooNew, "class files newer than Java 8 (major 52)");
  }

  @Test
  void kafkaClassNamesWrittenUnrelocatedInSettingsStillWork() {
    String topic = unique("shaded");
    KAFKA.broker().createTopic(topic, 2);
    List<Produced> produced = TestRecords.produce(KAFKA.broker(), topic, 2, 0, 20);
    // a class-valued consumer setting as users write it for format("kafka"): the consumer validates
    // it at construction and would reject the unrelocated class
    List<Row> rows = SparkTestSession.get().read().format("zdl-kafka")
        .option("kafka.bootstrap.servers", KAFKA.broker().bootstrapServers()).option("subscribe", topic)
        .option("kafka.partition.assignment.strategy", "org.apache.kafka.clients.consumer.RangeAssignor")
        .load().collectAsList();
    assertEquals(TestRecords.canonical(produced, false), TestRecords.canonicalRows(rows));
  }
}
