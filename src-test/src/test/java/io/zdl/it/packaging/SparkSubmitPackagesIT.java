package io.zdl.it.packaging;

import static io.zdl.it.support.Queries.unique;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The install path the README documents, run as a user would: the build has installed the published poms and
 * jars into a local Maven repository directory ({@code zdl.local.repo}, the root's {@code target/local-repo}),
 * and Spark's own {@code SparkSubmit}, in a child JVM whose classpath holds Spark but neither zdl, Delta nor
 * any Kafka jar, resolves {@code --packages io.zdl:zdl-connector_2.12:<version>} from it with
 * {@code --repositories file://...} on an empty Ivy cache, Delta from its default resolvers (the local Maven
 * cache, where the build put Delta), then streams a topic of the test broker into a table with zdl-kafka and
 * zdl-delta. Remote repositories are made unreachable (an HTTP proxy on a closed loopback port), so nothing
 * comes from the network. The child's home is a stand-in whose {@code .m2/repository} links to this machine's
 * local Maven repository without {@code io/zdl}: a developer's earlier {@code mvn install} there would otherwise
 * be found first (Spark's resolver chain asks the local Maven cache before {@code --repositories}).
 * A minute or more of child JVM: it runs with {@code -Pextended}, not in the default suite.
 */
@EnabledIfSystemProperty(named = "zdl.test.extended", matches = "true")
class SparkSubmitPackagesIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  /** Jars a plain Spark distribution does not have: zdl, Delta, Kafka (and Spark's Kafka connector), test servers. */
  private static final Pattern NOT_IN_SPARK =
      Pattern.compile("(zdl-.*|delta-.*|.*kafka.*|hadoop-client-minicluster-.*|hadoop-aws-.*|aws-java-sdk-.*)\\.jar");

  @Test
  void sparkSubmitResolvesTheConnectorFromTheDocumentedLocalRepositoryAndStreamsATopicIntoDelta() throws Exception {
    String version = System.getProperty("zdl.test.version");
    String artifact = "zdl-connector_" + System.getProperty("zdl.test.scalaBinary");
    Path repo = Path.of(System.getProperty("zdl.test.localRepo"));
    Path connectorJar = Path.of(ZdlKafkaSourceProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path installed = repo.resolve("io/zdl/" + artifact + "/" + version + "/" + artifact + "-" + version + ".jar");
    assertTrue(Files.isRegularFile(installed), "installed by the build (execution zdl-local-repo, phase verify): " + installed);
    assertArrayEquals(Files.readAllBytes(connectorJar), Files.readAllBytes(installed),
        "the repository holds the jar this build made: " + connectorJar);

    String topic = unique("packages");
    KAFKA.broker().createTopic(topic, 2);
    List<Produced> produced = TestRecords.produce(KAFKA.broker(), topic, 2, 0, 40);

    Path work = Queries.newDir("spark-submit-packages");
    Path ivy = Files.createDirectories(work.resolve("ivy"));
    Path appJar = appJar(work.resolve("app.jar"));
    Path table = work.resolve("table");
    int closedPort = ChildJvm.freePorts(1)[0];

    List<String> cmd = ChildJvm.javaCommand("1g");
    for (String scheme : List.of("http", "https")) {
      cmd.add("-D" + scheme + ".proxyHost=127.0.0.1");
      cmd.add("-D" + scheme + ".proxyPort=" + closedPort);
    }
    cmd.add("-Duser.home=" + homeWithoutZdl(work.resolve("home")));
    cmd.add("-cp");
    cmd.add(sparkClasspath());
    cmd.add("org.apache.spark.deploy.SparkSubmit");
    cmd.add("--master");
    cmd.add("local[2]");
    cmd.add("--packages");
    cmd.add(System.getProperty("zdl.test.deltaPackage") + ",io.zdl:" + artifact + ":" + version);
    cmd.add("--repositories");
    cmd.add(repo.toUri().toString());
    for (String conf : List.of("spark.jars.ivy=" + ivy,
        "spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension",
        "spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog",
        "spark.driver.host=127.0.0.1", "spark.driver.bindAddress=127.0.0.1", "spark.ui.enabled=false",
        "spark.sql.shuffle.partitions=1", "spark.local.dir=" + work.resolve("spark-local"))) {
      cmd.add("--conf");
      cmd.add(conf);
    }
    cmd.add("--class");
    cmd.add(PackagesSubmitMain.class.getName());
    cmd.add(appJar.toString());
    cmd.add(KAFKA.broker().bootstrapServers());
    cmd.add(topic);
    cmd.add(table.toString());
    cmd.add(work.resolve("checkpoint").toString());

    Path log = work.resolve("spark-submit.log");
    int exit = ChildJvm.awaitExit(ChildJvm.start(cmd, work, log, Map.of("SPARK_LOCAL_IP", "127.0.0.1")),
        Duration.ofMinutes(5));
    String output = ChildJvm.tail(log, 200_000);
    assertEquals(0, exit, () -> "spark-submit failed:\n" + ChildJvm.tail(log, 8000));
    // Ivy names the resolver that found each module: ours from the documented repository, not from ~/.m2
    assertTrue(output.contains("found io.zdl#" + artifact + ";" + version + " in repo-1"), () -> "resolution:\n" + output);
    assertArrayEquals(Files.readAllBytes(connectorJar),
        Files.readAllBytes(ivy.resolve("jars/io.zdl_" + artifact + "-" + version + ".jar")),
        "the job ran the jar from the repository");
    // the published pom pulls nothing: no Kafka client (it is inside the jar), no Spark; only Delta's own jars beside zdl
    try (var retrieved = Files.list(ivy.resolve("jars"))) {
      List<String> names = retrieved.map(p -> p.getFileName().toString()).sorted().toList();
      assertEquals(List.of("io.zdl_" + artifact + "-" + version + ".jar"),
          names.stream().filter(n -> !n.startsWith("io.delta_") && !n.startsWith("org.antlr_antlr4-runtime-")).toList(),
          () -> "retrieved: " + names);
    }

    List<Row> rows = SparkTestSession.get().read().format("delta").load(table.toString())
        .select("key", "value", "topic", "partition", "offset", "timestamp", "timestampType", "headers")
        .collectAsList();
    assertEquals(TestRecords.canonical(produced, true), TestRecords.canonicalRows(rows));
  }

  /** The test classpath less what a plain Spark distribution lacks; jars only (no harness or test classes). */
  private static String sparkClasspath() {
    List<String> kept = new ArrayList<>();
    for (String entry : ChildJvm.classpath().split(File.pathSeparator)) {
      File f = new File(entry);
      if (f.isFile() && f.getName().endsWith(".jar") && !NOT_IN_SPARK.matcher(f.getName()).matches()) {
        kept.add(entry);
      }
    }
    assertTrue(kept.stream().anyMatch(e -> new File(e).getName().startsWith("spark-core_")), "Spark's jars: " + kept);
    return String.join(File.pathSeparator, kept);
  }

  /**
   * A home directory whose {@code .m2/repository} holds links to every group of this machine's local Maven
   * repository except {@code io.zdl}: Delta and its dependencies are there, zdl is not.
   */
  private static Path homeWithoutZdl(Path home) throws Exception {
    Path m2 = Path.of(System.getProperty("user.home"), ".m2", "repository");
    Path fake = Files.createDirectories(home.resolve(".m2/repository"));
    try (var top = Files.list(m2)) {
      for (Path group : (Iterable<Path>) top::iterator) {
        if (!group.getFileName().toString().equals("io")) {
          Files.createSymbolicLink(fake.resolve(group.getFileName().toString()), group);
        }
      }
    }
    Path io = Files.createDirectories(fake.resolve("io"));
    try (var children = Files.list(m2.resolve("io"))) {
      for (Path group : (Iterable<Path>) children::iterator) {
        if (!group.getFileName().toString().equals("zdl")) {
          Files.createSymbolicLink(io.resolve(group.getFileName().toString()), group);
        }
      }
    }
    return home;
  }

  /** The application alone in its jar, as a user's job is. */
  private static Path appJar(Path jar) throws Exception {
    String entry = PackagesSubmitMain.class.getName().replace('.', '/') + ".class";
    try (OutputStream os = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(os)) {
      out.putNextEntry(new JarEntry(entry));
      try (var in = PackagesSubmitMain.class.getClassLoader().getResourceAsStream(entry)) {
        in.transferTo(out);
      }
      out.closeEntry();
    }
    return jar;
  }
}
