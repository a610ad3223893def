package io.zdl.it.source;

import static io.zdl.it.support.Queries.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

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

  /** The suites run zdl-connector_2.13 under the Spark 4 profiles, zdl-connector_2.12 otherwise. */
  private static final boolean SPARK4_JAR = "2.13".equals(System.getProperty("zdl.test.scalaBinary"));

  @Test
  void theBundledKafkaClientIsACurrentReleaseAndReportsItsOwnVersion() throws Exception {
    // 3.9.x in the 2.12 jar (the line with no known CVE that still runs on Java 8), 4.x in the 2.13 jar. Spark's
    // own client sits on this classpath too, so a version file left unrelocated would make the bundled one report it
    Class<?> appInfo;
    try {
      appInfo = Class.forName("io.zdl.shaded.org.apache.kafka.common.utils.AppInfoParser");
    } catch (ClassNotFoundException e) {
      appInfo = Class.forName("io.zdl.shaded.org.apache.kafka.common.utils.internals.AppInfoParser"); // 4.x
    }
    String version = (String) appInfo.getMethod("getVersion").invoke(null);
    assertTrue(version.startsWith(SPARK4_JAR ? "4." : "3.9."), "the bundled kafka-clients reports " + version);
    java.nio.file.Path jar = java.nio.file.Path.of(
        ZdlKafkaSourceProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
      java.util.jar.JarEntry entry = file.getJarEntry("io/zdl/shaded/kafka/kafka-version.properties");
      assertTrue(entry != null, "the bundled client's version file is relocated beside its classes");
      java.util.Properties props = new java.util.Properties();
      try (java.io.InputStream in = file.getInputStream(entry)) {
        props.load(in);
      }
      assertEquals(version, props.getProperty("version"));
      assertTrue(file.getJarEntry("kafka/kafka-version.properties") == null,
          "no unrelocated version file that a cluster's own client could read as its own");
    }
  }

  @Test
  void theBundledClientReadsItsSecuritySystemPropertiesUnderRelocatedNames() throws Exception {
    // the shade plugin rewrites these string constants too; project-docs/source-options.md names them for users
    String prefix = "io.zdl.shaded.org.apache.kafka.";
    assertEquals(prefix + "disallowed.login.modules",
        constant("common.security.JaasUtils", "DISALLOWED_LOGIN_MODULES_CONFIG"));
    assertEquals("com.sun.security.auth.module.JndiLoginModule,com.sun.security.auth.module.LdapLoginModule",
        constant("common.security.JaasUtils", "DISALLOWED_LOGIN_MODULES_DEFAULT"));
    assertEquals(prefix + "sasl.oauthbearer.allowed.urls",
        constant("common.config.internals.BrokerSecurityConfigs", "ALLOWED_SASL_OAUTHBEARER_URLS_CONFIG"));
    assertEquals(prefix + "automatic.config.providers",
        constant("common.config.AbstractConfig", "AUTOMATIC_CONFIG_PROVIDERS_PROPERTY"));
    if (SPARK4_JAR) { // kafka-clients 4.x: an allowlist of login modules, and no OAuth URL allowed by default
      assertEquals(prefix + "allowed.login.modules",
          constant("common.security.JaasUtils", "ALLOWED_LOGIN_MODULES_CONFIG"));
      assertEquals("",
          constant("common.config.internals.BrokerSecurityConfigs", "ALLOWED_SASL_OAUTHBEARER_URLS_DEFAULT"));
    }
  }

  @Test
  void aJndiLoginModuleInSaslJaasConfigIsACodedErrorNamingThePropertyTheBundledClientReads() {
    // CVE-2023-25194: kafka-clients 3.4+ refuses JndiLoginModule (and, from 3.9.1, LdapLoginModule) unless the
    // system property allows it; 4.x names the property unrelocated, so zdl's coded error names the one it reads
    Exception e = assertThrows(Exception.class, () -> SparkTestSession.get().read().format("zdl-kafka")
        .option("kafka.bootstrap.servers", KAFKA.broker().bootstrapServers()).option("subscribe", unique("jndi"))
        .option("kafka.security.protocol", "SASL_PLAINTEXT").option("kafka.sasl.mechanism", "PLAIN")
        .option("kafka.sasl.jaas.config", "com.sun.security.auth.module.JndiLoginModule required;")
        .load().collectAsList());
    StringBuilder messages = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages.append(t).append('\n');
    }
    String coded = messages.substring(Math.max(0, messages.indexOf("[ZDL_INVALID_OPTION]")));
    assertTrue(coded.startsWith("[ZDL_INVALID_OPTION] Invalid option kafka.sasl.jaas.config")
        && coded.contains("refuses the login module com.sun.security.auth.module.JndiLoginModule"), messages::toString);
    assertTrue(coded.contains(SPARK4_JAR ? "-Dio.zdl.shaded.org.apache.kafka.allowed.login.modules="
        : "-Dio.zdl.shaded.org.apache.kafka.disallowed.login.modules="), messages::toString);
  }

  @Test
  void anOAuthTokenEndpointTheBundledClientMayNotReachIsACodedErrorNamingTheProperty() {
    // CVE-2025-27817: kafka-clients 3.9.1+ reach only the URLs this property lists once it is set (4.x: none
    // while unset). Nothing listens at either URL: the client refuses before it connects
    String property = "io.zdl.shaded.org.apache.kafka.sasl.oauthbearer.allowed.urls";
    System.setProperty(property, "http://127.0.0.1:9/allowed");
    StringBuilder messages = new StringBuilder();
    try {
      Exception e = assertThrows(Exception.class, () -> SparkTestSession.get().read().format("zdl-kafka")
          .option("kafka.bootstrap.servers", KAFKA.broker().bootstrapServers()).option("subscribe", unique("oauth"))
          .option("kafka.security.protocol", "SASL_PLAINTEXT").option("kafka.sasl.mechanism", "OAUTHBEARER")
          .option("kafka.sasl.oauthbearer.token.endpoint.url", "http://127.0.0.1:9/refused")
          .option("kafka.sasl.login.callback.handler.class",
              "org.apache.kafka.common.security.oauthbearer.secured.OAuthBearerLoginCallbackHandler")
          .option("kafka.sasl.jaas.config", "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule "
              + "required clientId=\"c\" clientSecret=\"s\";")
          .load().collectAsList());
      for (Throwable t = e; t != null; t = t.getCause()) {
        messages.append(t).append('\n');
      }
    } finally {
      System.clearProperty(property);
    }
    String coded = messages.substring(Math.max(0, messages.indexOf("[ZDL_INVALID_OPTION]")));
    assertTrue(coded.startsWith("[ZDL_INVALID_OPTION] Invalid option kafka.sasl.oauthbearer.token.endpoint.url")
        && coded.contains("http://127.0.0.1:9/refused") && coded.contains("-D" + property + "="), messages::toString);
  }

  @Test
  void theBundledClientsConfigProvidersAreRegisteredUnderRelocatedNames() throws Exception {
    Class<?> provider = Class.forName("io.zdl.shaded.org.apache.kafka.common.config.provider.ConfigProvider");
    List<String> names = new java.util.ArrayList<>();
    for (Object p : java.util.ServiceLoader.load(provider, provider.getClassLoader())) {
      names.add(p.getClass().getName());
    }
    assertTrue(names.contains("io.zdl.shaded.org.apache.kafka.common.config.provider.FileConfigProvider"), names::toString);
  }

  private static String constant(String kafkaClass, String field) throws Exception {
    return (String) Class.forName("io.zdl.shaded.org.apache.kafka." + kafkaClass).getField(field).get(null);
  }

  @Test
  void theSpark4JarRelocatesItsKafka4ClientLikeThe212JarAndIsJava17Bytecode() throws Exception {
    String path = System.getProperty("zdl.test.connector213.jar");
    assertTrue(path != null && java.nio.file.Files.exists(java.nio.file.Path.of(path)), "zdl-connector_2.13: " + path);
    List<String> unrelocated = new java.util.ArrayList<>();
    List<String> notJava17 = new java.util.ArrayList<>();
    try (java.util.jar.JarFile file = new java.util.jar.JarFile(path)) {
      for (java.util.jar.JarEntry e : java.util.Collections.list(file.entries())) {
        if (e.getName().startsWith("org/apache/kafka/") || e.getName().startsWith("kafka/")) {
          unrelocated.add(e.getName());
        }
        if (e.getName().startsWith("io/zdl/spark/") && e.getName().endsWith(".class")) {
          try (java.io.DataInputStream in = new java.io.DataInputStream(file.getInputStream(e))) {
            in.readInt(); // magic
            in.readUnsignedShort(); // minor
            int major = in.readUnsignedShort();
            if (major != 61) {
              notJava17.add(e.getName() + " (" + major + ")");
            }
          }
        }
      }
      assertEquals(List.of(), unrelocated, "the Kafka client is bundled under io.zdl.shaded only");
      assertEquals(List.of(), notJava17, "zdl's classes in the Spark 4 jar are Java 17 bytecode (major 61)");
      assertTrue(file.getJarEntry("io/zdl/shaded/org/apache/kafka/clients/consumer/KafkaConsumer.class") != null);
      java.util.Properties props = new java.util.Properties();
      try (java.io.InputStream in = file.getInputStream(file.getJarEntry("io/zdl/shaded/kafka/kafka-version.properties"))) {
        props.load(in);
      }
      assertTrue(props.getProperty("version").startsWith("4."), "the bundled client: " + props);
      String services = new String(file.getInputStream(
          file.getJarEntry("META-INF/services/org.apache.spark.sql.sources.DataSourceRegister")).readAllBytes(),
          java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(services.contains("io.zdl.spark.kafka.ZdlKafkaSourceProvider")
          && services.contains("io.zdl.spark.delta.ZdlDeltaSinkProvider"), services);
    }
  }

  @Test
  void everyClassInTheJarLoadsOnJava8() throws Exception {
    assumeFalse(SPARK4_JAR, "the 2.13 jar is Java 17 bytecode (theSpark4JarRelocatesItsKafka4Client...)");
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
