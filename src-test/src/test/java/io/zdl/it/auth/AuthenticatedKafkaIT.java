package io.zdl.it.auth;

import static io.zdl.it.support.Queries.awaitTermination;
import static io.zdl.it.support.Queries.eventually;
import static io.zdl.it.support.Queries.fullMessage;
import static io.zdl.it.support.Queries.newDir;
import static io.zdl.it.support.Queries.readAvailableNow;
import static io.zdl.it.support.Queries.start;
import static io.zdl.it.support.Queries.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.support.LogCapture;
import io.zdl.it.support.TestRecords;
import io.zdl.spark.audit.AuditReport;
import io.zdl.spark.audit.ZdlAudit;
import io.zdl.test.kafka.KafkaAuth;
import io.zdl.test.kafka.KafkaBroker;
import io.zdl.test.kafka.OidcServer;
import io.zdl.test.kafka.TestKeyStores;
import io.zdl.test.process.ChildJvm;
import io.zdl.test.spark.SparkTestSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * zdl-kafka against a broker that authenticates: SASL_PLAINTEXT and SASL_SSL with PLAIN and OAUTHBEARER, OAUTHBEARER
 * with tokens from an OIDC endpoint on loopback, and SSL with client certificates, on one broker with a listener each. Reads give the rows a PLAINTEXT read gives, group
 * mirroring and the audit work there; refused credentials stop the query with a coded error, and no secret shows
 * in logs, plans, progress or the checkpoint. SCRAM-SHA-512 runs on a second broker, Kafka 4.1 (KRaft keeps SCRAM
 * credentials from 3.5 on; the default test broker is 3.3), with the same topic and records; there a password
 * changed under a running query shows an executor's consumer refused while the driver's connections stay logged in.
 */
class AuthenticatedKafkaIT {
  private static final String WRONG_PASSWORD = "wrong-pw-e81f3d";
  /** A second SCRAM user, whose password the executor case changes under a running query. */
  private static final String ROTATING_USER = "bob";
  private static final String ROTATING_PASSWORD = "bob-pw-0c52e6";
  private static final String ROTATED_PASSWORD = "bob-rotated-pw-93ad1f";
  private static final String AWS_SECRET = "zdlTestOnlyAwsSecretKey0000000000000000000";
  /** The first bytes of every unsecured token, base64url of {"alg":"none"}. */
  private static final String TOKEN_HEADER = "eyJhbGciOiJub25lIn0";

  private static OidcServer oidc;
  static final String OAUTH_ALLOWED_URLS = "io.zdl.shaded.org.apache.kafka.sasl.oauthbearer.allowed.urls";
  private static KafkaBroker broker;
  /** Kafka 4.1 with a SASL_PLAINTEXT listener: SCRAM-SHA-512, which the 3.3 broker cannot keep in KRaft mode. */
  private static KafkaBroker scramBroker;
  private static TestKeyStores keys;
  private static String topic;
  private static List<String> overPlaintext;
  private static Map<String, Long> topicEnd;

  private final SparkSession spark = SparkTestSession.get();

  @BeforeAll
  static void startBroker() {
    keys = TestKeyStores.generate(newDir("keys"));
    oidc = OidcServer.start();
    // as a user of the 2.13 jar must: its kafka-clients 4.x reaches no token endpoint unless this property (under
    // the bundled client's relocated name) allows it; the 2.12 jar's 3.9 client allows every URL while it is unset
    System.setProperty(OAUTH_ALLOWED_URLS, oidc.tokenEndpoint());
    // the two brokers start side by side
    CompletableFuture<KafkaBroker> kafka4 = CompletableFuture.supplyAsync(
        () -> KafkaBroker.startKafka4(newDir("kafka4-scram"), KafkaAuth.saslListeners()));
    try {
      broker = KafkaBroker.start(newDir("kafka-auth"), KafkaAuth.withOidc(KafkaAuth.allListeners(keys), oidc));
    } finally {
      scramBroker = kafka4.join();
    }
    topic = unique("auth");
    for (KafkaBroker b : List.of(broker, scramBroker)) {
      b.createTopic(topic, 2);
      TestRecords.produce(b, topic, 2, 0, 40);
    }
    KafkaAuth.createScramUser(scramBroker);
    KafkaAuth.setScramPassword(scramBroker, ROTATING_USER, ROTATING_PASSWORD);
    List<Row> rows = readOverPlaintext(broker);
    overPlaintext = TestRecords.canonicalRows(rows);
    assertEquals(40, overPlaintext.size());
    assertEquals(overPlaintext, TestRecords.canonicalRows(readOverPlaintext(scramBroker)), "the Kafka 4 broker's topic");
    topicEnd = new TreeMap<>();
    for (Row r : rows) {
      topicEnd.merge(topic + "-" + r.getInt(3), r.getLong(4) + 1, Math::max);
    }
  }

  private static List<Row> readOverPlaintext(KafkaBroker b) {
    return SparkTestSession.get().read().format("zdl-kafka").option("kafka.bootstrap.servers", b.bootstrapServers())
        .option("subscribe", topic).option("includeHeaders", "true").load().collectAsList();
  }

  @AfterAll
  static void stopBroker() {
    System.clearProperty(OAUTH_ALLOWED_URLS);
    if (broker != null) {
      broker.close();
    }
    if (scramBroker != null) {
      scramBroker.close();
    }
    if (oidc != null) {
      oidc.close();
    }
  }

  /** The listener to use and the {@code kafka.*} settings (prefix left off) for each way of logging in. */
  private static Map<String, String> login(String how) {
    Map<String, String> s;
    String listener;
    switch (how) {
      case "SASL_PLAINTEXT PLAIN":
        s = KafkaAuth.clientSettings(KafkaAuth.PLAIN);
        listener = KafkaAuth.SASL_PLAINTEXT;
        break;
      case "SASL_PLAINTEXT OAUTHBEARER":
        s = KafkaAuth.clientSettings(KafkaAuth.OAUTHBEARER);
        listener = KafkaAuth.SASL_PLAINTEXT;
        break;
      case "SASL_SSL PLAIN":
        s = KafkaAuth.saslSslSettings(KafkaAuth.PLAIN, KafkaAuth.PLAIN_PASSWORD, keys.clientTrustStore());
        listener = KafkaAuth.SASL_SSL;
        break;
      case "SASL_SSL OAUTHBEARER":
        s = KafkaAuth.saslSslSettings(KafkaAuth.OAUTHBEARER, KafkaAuth.TOKEN_LIFETIME_SECONDS, keys.clientTrustStore());
        listener = KafkaAuth.SASL_SSL;
        break;
      case "SSL client certificate":
        s = KafkaAuth.mtlsSettings(keys, keys.clientTrustStore());
        listener = KafkaAuth.SSL;
        break;
      case "OIDC token endpoint":
        s = KafkaAuth.oidcSettings(oidc);
        listener = KafkaAuth.OIDC;
        break;
      case "SASL_PLAINTEXT SCRAM-SHA-512":
        s = KafkaAuth.clientSettings(KafkaAuth.SCRAM);
        listener = KafkaAuth.SASL_PLAINTEXT;
        break;
      case "wrong SCRAM password":
        s = KafkaAuth.clientSettings(KafkaAuth.SCRAM, WRONG_PASSWORD);
        listener = KafkaAuth.SASL_PLAINTEXT;
        break;
      case "wrong password":
        s = KafkaAuth.clientSettings(KafkaAuth.PLAIN, WRONG_PASSWORD);
        listener = KafkaAuth.SASL_PLAINTEXT;
        break;
      case "expired token":
        s = KafkaAuth.clientSettings(KafkaAuth.OAUTHBEARER, "-600");
        listener = KafkaAuth.SASL_PLAINTEXT;
        break;
      case "untrusted broker certificate":
        s = KafkaAuth.saslSslSettings(KafkaAuth.PLAIN, KafkaAuth.PLAIN_PASSWORD, keys.strangerTrustStore());
        listener = KafkaAuth.SASL_SSL;
        break;
      default:
        throw new IllegalArgumentException(how);
    }
    Map<String, String> options = new HashMap<>();
    options.put("kafka.bootstrap.servers", brokerFor(how).bootstrapServers(listener));
    s.forEach((k, v) -> options.put("kafka." + k, v));
    return options;
  }

  /** The broker a way of logging in runs against: SCRAM on the Kafka 4 broker, all else on the 3.3 one. */
  private static KafkaBroker brokerFor(String how) {
    return how.contains("SCRAM") ? scramBroker : broker;
  }

  @ParameterizedTest
  @ValueSource(strings = {"SASL_PLAINTEXT PLAIN", "SASL_PLAINTEXT OAUTHBEARER", "SASL_SSL PLAIN",
      "SASL_SSL OAUTHBEARER", "SSL client certificate", "OIDC token endpoint", "SASL_PLAINTEXT SCRAM-SHA-512"})
  void batchAndStreamingReadsGiveThePlaintextRowsAndTheGroupMirrorFollows(String how) throws Exception {
    Map<String, String> options = login(how);
    DataFrameReader batch = spark.read().format("zdl-kafka").options(options).option("subscribe", topic)
        .option("includeHeaders", "true");
    assertEquals(overPlaintext, TestRecords.canonicalRows(batch.load().collectAsList()), how + ", batch");

    String group = unique("auth-group");
    Path checkpoint = newDir("cp");
    LogCapture logs = LogCapture.start();
    List<Row> streamed;
    try {
      streamed = readAvailableNow(stream(options).option("commitOffsetsToGroup", group).load(), checkpoint);
    } finally {
      logs.stop();
    }
    assertEquals(overPlaintext, TestRecords.canonicalRows(streamed), how + ", streaming");
    eventually(30, "the group's offsets to reach the end of the topic",
        () -> topicEnd.equals(groupOffsets(brokerFor(how), group)));
    assertNoSecret(logs.text() + read(checkpoint), how);
  }

  /**
   * Plugins built against plain org.apache.kafka (as aws-msk-iam-auth is) run inside zdl's relocated client:
   * a client callback handler answering PLAIN, and a login callback handler handing out OAUTHBEARER tokens.
   */
  @ParameterizedTest
  @ValueSource(strings = {"PLAIN client callback handler", "OAUTHBEARER login callback handler"})
  void saslPluginsBuiltAgainstPlainKafkaAreCalledByTheRelocatedClient(String how) {
    boolean plain = how.startsWith("PLAIN");
    String kafka = String.join(".", "org", "apache", "kafka");
    Map<String, String> options = new HashMap<>();
    options.put("kafka.bootstrap.servers", broker.bootstrapServers(KafkaAuth.SASL_PLAINTEXT));
    options.put("kafka.security.protocol", KafkaAuth.SASL_PLAINTEXT);
    options.put("kafka.sasl.mechanism", plain ? KafkaAuth.PLAIN : KafkaAuth.OAUTHBEARER);
    if (plain) {
      options.put("kafka.sasl.jaas.config", kafka + ".common.security.plain.PlainLoginModule required;");
      options.put("kafka.sasl.client.callback.handler.class", PlainKafkaPasswordHandler.class.getName());
    } else {
      options.put("kafka.sasl.jaas.config", kafka + ".common.security.oauthbearer.OAuthBearerLoginModule required "
          + "unsecuredLoginStringClaim_sub=\"" + KafkaAuth.USER + "\";");
      options.put("kafka.sasl.login.callback.handler.class", PlainKafkaTokenHandler.class.getName());
    }
    int before = plain ? PlainKafkaPasswordHandler.CALLS.get() : PlainKafkaTokenHandler.TOKENS.get();
    List<Row> rows = spark.read().format("zdl-kafka").options(options).option("subscribe", topic)
        .option("includeHeaders", "true").load().collectAsList();
    assertEquals(overPlaintext, TestRecords.canonicalRows(rows), how);
    int after = plain ? PlainKafkaPasswordHandler.CALLS.get() : PlainKafkaTokenHandler.TOKENS.get();
    assertTrue(after > before, how + ": the plugin was not called");
  }

  /**
   * aws-msk-iam-auth (not bundled) beside zdl in a fresh JVM, with AWS credentials from system properties: its
   * OAUTHBEARER login callback handler is called by the relocated client and makes a token, which the broker
   * receives and refuses (it validates only unsecured tokens); its AWS_MSK_IAM mechanism gets as far as the broker,
   * which does not offer it. Neither ends in a ClassCastException.
   */
  @Test
  void awsMskIamAuthHandlersRunInTheRelocatedClient() throws Exception {
    List<String> mskClasspath = List.of(Files.readString(Path.of(System.getProperty("zdl.test.mskIam.classpath")))
        .trim().split(java.io.File.pathSeparator));
    Path out = newDir("msk-iam");
    List<String> cmd = ChildJvm.javaCommand("1g");
    // the AWS SDK's system-property credentials; made up, and no AWS endpoint is ever called
    cmd.addAll(List.of("-Daws.accessKeyId=AKIAZDLTESTONLY00000", "-Daws.secretAccessKey=" + AWS_SECRET,
        "-Daws.region=us-east-1"));
    cmd.add("-cp");
    // the test classpath first, as a cluster's jars come before the ones a job adds
    cmd.add(ChildJvm.classpath() + java.io.File.pathSeparator + String.join(java.io.File.pathSeparator, mskClasspath));
    cmd.add(MskIamMain.class.getName());
    cmd.addAll(List.of(broker.bootstrapServers(KafkaAuth.SASL_PLAINTEXT), topic, out.toString()));
    Path log = out.resolve("child.log");
    int exit = ChildJvm.awaitExit(ChildJvm.start(cmd, out, log), java.time.Duration.ofMinutes(4));
    assertEquals(0, exit, () -> "the child JVM failed:\n" + ChildJvm.tail(log, 8000));
    java.util.Properties report = new java.util.Properties();
    try (java.io.InputStream in = Files.newInputStream(out.resolve("report.properties"))) {
      report.load(in);
    }
    String oauth = report.getProperty("OAUTHBEARER");
    assertTrue(oauth.contains("ZDL_KAFKA_AUTHENTICATION_FAILED") && oauth.contains("invalid_token"),
        "the broker got the plugin's token and refused it: " + oauth);
    String iam = report.getProperty("AWS_MSK_IAM");
    assertTrue(iam.contains("ZDL_KAFKA_AUTHENTICATION_FAILED") && iam.contains("UnsupportedSaslMechanism"),
        "the plugin's mechanism reached the broker: " + iam);
    for (String outcome : List.of(oauth, iam)) {
      assertFalse(outcome.contains("ClassCastException"), outcome);
    }
    assertFalse(Files.readString(log).contains(AWS_SECRET), "the AWS secret key shows in the log");
  }

  @Test
  void theAuditReadsTheTopicOverSaslSsl() {
    Map<String, String> options = login("SASL_SSL PLAIN");
    Path table = newDir("table");
    awaitTermination(start(stream(options).load().writeStream().format("zdl-delta")
        .option("checkpointLocation", newDir("cp").toString()).trigger(Trigger.AvailableNow())
        .option("path", table.toString())), 300);
    AuditReport report = ZdlAudit.run(spark, table.toString(), options);
    assertTrue(report.clean(), report::toString);
    assertEquals(topicEnd.get(topic + "-0"), report.partition(topic, 0).tableNext(), report::toString);
  }

  @ParameterizedTest
  @ValueSource(strings = {"wrong password", "wrong SCRAM password", "expired token", "untrusted broker certificate"})
  void refusedCredentialsStopTheQueryWithACodedErrorAndNoSecretAnywhere(String how) throws Exception {
    Map<String, String> options = login(how);
    Path checkpoint = newDir("cp");
    LogCapture logs = LogCapture.start();
    StreamingQuery q;
    Throwable failure = null;
    try {
      Dataset<Row> df = stream(options).load();
      q = start(df.writeStream().format("noop").option("checkpointLocation", checkpoint.toString())
          .trigger(Trigger.ProcessingTime(1000)));
      try {
        assertTrue(q.awaitTermination(TimeUnit.SECONDS.toMillis(120)), how + ": the query did not stop within 120 s");
      } catch (Exception e) {
        failure = e;
      } finally {
        q.stop();
      }
    } finally {
      logs.stop();
    }
    assertNotNull(failure, how + ": the query stopped without an error");
    String message = fullMessage(failure);
    assertTrue(message.contains("ZDL_KAFKA_AUTHENTICATION_FAILED"), how + ": " + message);
    assertTrue(message.contains(how.contains("certificate") ? "kafka.ssl.truststore.location" : "kafka.sasl.jaas.config"),
        how + ": " + message);
    StringBuilder seen = new StringBuilder(logs.text()).append(message).append(q.toString());
    for (StreamingQueryProgress p : q.recentProgress()) {
      seen.append(p.json());
    }
    seen.append(read(checkpoint));
    assertTrue(seen.toString().contains("AUTHENTICATION_FAILED"), "the searched text holds the failure");
    assertNoSecret(seen.toString(), how);
  }

  /**
   * A password changed under a running query (a rotation): the driver's connections stay logged in, but the consumer
   * an executor opens for a partition added since cannot log in. The query stops with the coded error naming the
   * partition and the setting to check; the batch is not committed, and a restart with the new password reads on
   * from the last committed batch: nothing skipped, nothing twice, no password anywhere. The audit then reads the
   * topic with SCRAM too.
   */
  @Test
  void aPasswordChangedUnderARunningQueryStopsItWhenAnExecutorCannotLogInAndARestartSkipsNothing() throws Exception {
    String rotating = unique("auth-rotate");
    scramBroker.createTopic(rotating, 1);
    List<TestRecords.Produced> produced = new ArrayList<>(TestRecords.produce(scramBroker, rotating, 1, 0, 10));
    Path table = newDir("rotate-table");
    Path checkpoint = newDir("rotate-cp");
    LogCapture logs = LogCapture.start();
    StreamingQuery q = null;
    Throwable failure = null;
    try {
      q = start(rotatingStream(rotating, ROTATING_PASSWORD).load().writeStream().format("zdl-delta")
          .option("checkpointLocation", checkpoint.toString()).option("path", table.toString())
          .trigger(Trigger.ProcessingTime(500)));
      eventually(120, "the first 10 records in the table", q, () -> tableRows(table).size() == 10);
      KafkaAuth.setScramPassword(scramBroker, ROTATING_USER, ROTATED_PASSWORD);
      scramBroker.addPartitions(rotating, 2); // partition 1 needs a new consumer, and so a new login
      produced.addAll(TestRecords.produce(scramBroker, rotating, 2, 10, 10));
      try {
        assertTrue(q.awaitTermination(TimeUnit.SECONDS.toMillis(120)), "the query did not stop within 120 s");
      } catch (StreamingQueryException e) {
        failure = e;
      }
    } finally {
      if (q != null) {
        q.stop();
      }
      logs.stop();
    }
    assertNotNull(failure, "the query stopped without an error");
    String message = fullMessage(failure);
    assertTrue(message.contains("ZDL_KAFKA_AUTHENTICATION_FAILED") && message.contains("kafka.sasl.jaas.config"),
        message);
    assertTrue(message.contains("read topic " + rotating + " partition 1"), "an executor's read failed: " + message);
    assertEquals(TestRecords.canonical(produced.subList(0, 10), true), tableRows(table),
        "the failed batch left nothing in the table");
    StringBuilder seen = new StringBuilder(logs.text()).append(message).append(q.toString());
    for (StreamingQueryProgress p : q.recentProgress()) {
      seen.append(p.json());
    }
    seen.append(read(checkpoint)).append(read(table.resolve("_delta_log")));
    assertNoSecret(seen.toString(), "password changed under a running query");

    awaitTermination(start(rotatingStream(rotating, ROTATED_PASSWORD).load().writeStream().format("zdl-delta")
        .option("checkpointLocation", checkpoint.toString()).option("path", table.toString())
        .trigger(Trigger.AvailableNow())), 180);
    assertEquals(TestRecords.canonical(produced, true), tableRows(table), "after the restart with the new password");
    Map<String, String> auditOptions = new HashMap<>();
    auditOptions.put("kafka.bootstrap.servers", scramBroker.bootstrapServers(KafkaAuth.SASL_PLAINTEXT));
    KafkaAuth.scramSettings(ROTATING_USER, ROTATED_PASSWORD).forEach((k, v) -> auditOptions.put("kafka." + k, v));
    AuditReport report = ZdlAudit.run(spark, table.toString(), auditOptions);
    assertTrue(report.clean(), report::toString);
    assertEquals(15L, report.partition(rotating, 0).tableNext(), report::toString);
    assertEquals(5L, report.partition(rotating, 1).tableNext(), report::toString);
  }

  private DataStreamReader rotatingStream(String rotating, String password) {
    Map<String, String> options = new HashMap<>();
    options.put("kafka.bootstrap.servers", scramBroker.bootstrapServers(KafkaAuth.SASL_PLAINTEXT));
    KafkaAuth.scramSettings(ROTATING_USER, password).forEach((k, v) -> options.put("kafka." + k, v));
    return spark.readStream().format("zdl-kafka").options(options).option("subscribe", rotating)
        .option("startingOffsets", "earliest").option("includeHeaders", "true");
  }

  /** The table's rows as canonical strings; none before its first commit. */
  private List<String> tableRows(Path table) {
    if (!Files.exists(table.resolve("_delta_log"))) {
      return List.of();
    }
    try {
      return TestRecords.canonicalRows(spark.read().format("delta").load(table.toString()).collectAsList());
    } catch (Exception e) { // the log directory before its first commit file (Delta's AnalysisException)
      return List.of();
    }
  }

  private DataStreamReader stream(Map<String, String> options) {
    return spark.readStream().format("zdl-kafka").options(options).option("subscribe", topic)
        .option("startingOffsets", "earliest").option("includeHeaders", "true").option("maxOffsetsPerTrigger", "25");
  }

  private static void assertNoSecret(String text, String how) {
    for (String secret : List.of(KafkaAuth.PLAIN_PASSWORD, KafkaAuth.SCRAM_PASSWORD, WRONG_PASSWORD, ROTATING_PASSWORD,
        ROTATED_PASSWORD, TestKeyStores.PASSWORD, TOKEN_HEADER, KafkaAuth.OIDC_CLIENT_SECRET, OidcServer.JWT_HEADER,
        AWS_SECRET)) {
      assertFalse(text.contains(secret), how + ": a secret shows in logs, plans, progress or the checkpoint");
    }
  }

  private static Map<String, Long> groupOffsets(KafkaBroker b, String group) {
    try {
      Map<String, Long> out = new TreeMap<>();
      b.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
          .forEach((tp, om) -> out.put(tp.toString(), om.offset()));
      return out;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every file under {@code dir}, as text. */
  private static String read(Path dir) throws java.io.IOException {
    StringBuilder sb = new StringBuilder();
    if (!Files.exists(dir)) {
      return "";
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        sb.append(Files.readString(f, StandardCharsets.ISO_8859_1)).append('\n');
      }
    }
    return sb.toString();
  }
}
