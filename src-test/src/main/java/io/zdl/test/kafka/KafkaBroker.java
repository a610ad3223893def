package io.zdl.test.kafka;

import io.zdl.test.process.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real single-node Kafka (KRaft, broker+controller) in its own JVM, so tests can SIGKILL and
 * restart it without taking the test JVM down. Not thread-safe for concurrent kill/restart.
 */
public final class KafkaBroker implements AutoCloseable {

  private static final String HOST = ChildJvm.LOOPBACK;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration FORMAT_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration GRACEFUL_STOP_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);

  /**
   * System property naming the file the kafka-4-classpath module writes: the classpath of a Kafka 4.x broker.
   */
  public static final String KAFKA4_CLASSPATH_PROPERTY = "zdl.test.kafka4.classpath";

  private final Path dataDir;
  private final Path logFile;
  private final int port;
  private final int controllerPort;
  private final BrokerListeners extraListeners;
  /** Port of each extra listener, by name. */
  private final Map<String, Integer> extraPorts = new LinkedHashMap<>();
  /** The broker JVM's classpath: this JVM's (Kafka {@code kafka.version}) unless another line was asked for. */
  private final String brokerClasspath;
  private Process process;
  private Admin admin;

  private KafkaBroker(Path dataDir, int[] ports, BrokerListeners extraListeners, String brokerClasspath) {
    this.brokerClasspath = brokerClasspath;
    this.dataDir = dataDir;
    this.logFile = dataDir.resolve("broker.log");
    this.port = ports[0];
    this.controllerPort = ports[1];
    this.extraListeners = extraListeners;
    int i = 2;
    for (String name : extraListeners.protocols().keySet()) {
      extraPorts.put(name, ports[i++]);
    }
  }

  /** Formats {@code dataDir} (once) and starts a broker on two fresh loopback ports. */
  public static KafkaBroker start(Path dataDir) {
    return start(dataDir, BrokerListeners.none());
  }

  /** As {@link #start(Path)}, with {@code extraListeners} open too, each on a fresh loopback port. */
  public static KafkaBroker start(Path dataDir, BrokerListeners extraListeners) {
    return start(dataDir, extraListeners, ChildJvm.classpath());
  }

  /** The same with a Kafka 4.x broker (KRaft), from the classpath the kafka-4-classpath module wrote. */
  public static KafkaBroker startKafka4(Path dataDir) {
    return startKafka4(dataDir, BrokerListeners.none());
  }

  /**
   * A Kafka 4.x broker with {@code extraListeners} open too. Kafka 4 is the line here that keeps SCRAM credentials
   * in KRaft mode (3.5+; the default 3.3.2 broker does not).
   */
  public static KafkaBroker startKafka4(Path dataDir, BrokerListeners extraListeners) {
    String file = System.getProperty(KAFKA4_CLASSPATH_PROPERTY);
    if (file == null || !Files.exists(Path.of(file))) {
      throw new IllegalStateException("no Kafka 4 broker classpath (-D" + KAFKA4_CLASSPATH_PROPERTY + "=" + file
          + "); the kafka-4-classpath module writes it: build through the reactor");
    }
    try {
      return start(dataDir, extraListeners, Files.readString(Path.of(file), StandardCharsets.UTF_8).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static KafkaBroker start(Path dataDir, BrokerListeners extraListeners, String brokerClasspath) {
    Path dir = dataDir.toAbsolutePath();
    int[] ports = ChildJvm.freePorts(2 + extraListeners.protocols().size());
    KafkaBroker broker = new KafkaBroker(dir, ports, extraListeners, brokerClasspath);
    try {
      Files.createDirectories(dir);
      broker.writeConfig();
      broker.formatStorageOnce();
      broker.launchAndAwaitReady();
      return broker;
    } catch (IOException e) {
      broker.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      broker.close();
      throw e;
    }
  }

  public String bootstrapServers() {
    return HOST + ":" + port;
  }

  /** The {@code host:port} of an extra listener given at start, e.g. {@code SASL_PLAINTEXT}. */
  public String bootstrapServers(String listenerName) {
    Integer p = extraPorts.get(listenerName);
    if (p == null) {
      throw new IllegalArgumentException("no listener " + listenerName + "; this broker has " + extraPorts.keySet());
    }
    return HOST + ":" + p;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path logFile() {
    return logFile;
  }

  /** The broker JVM's process id, or -1 while it is not running. */
  public synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  /** SIGKILL: no clean shutdown, no flush; what a crash looks like to clients. */
  public synchronized void kill() {
    closeAdmin();
    Process p = process;
    process = null;
    if (p == null) {
      return;
    }
    ChildJvm.kill(p);
  }

  /** Same data dir and ports, so clients' bootstrap servers stay valid across the restart. */
  public synchronized void restart() {
    kill();
    launchAndAwaitReady();
  }

  /** Shared admin; recreated after kill/restart so it never carries a dead broker's state. */
  public synchronized Admin admin() {
    if (admin == null) {
      Properties props = new Properties();
      props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
      props.put(AdminClientConfig.CLIENT_ID_CONFIG, "zdl-test-admin");
      props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
      props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
      admin = Admin.create(props);
    }
    return admin;
  }

  /**
   * Replication 1; returns once every partition's leader answers for it. Metadata names a leader a
   * moment before the broker has taken the role; a producer sending then gets NOT_LEADER_OR_FOLLOWER,
   * and Kafka 3.3's idempotent producer can then loop on OUT_OF_ORDER_SEQUENCE_NUMBER until it times out.
   */
  public void createTopic(String name, int partitions) {
    Admin a = admin();
    get(a.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all(), TOPIC_TIMEOUT,
        "create topic " + name);
    awaitLeadersAnswer(a, name, partitions);
  }

  /** Grows {@code name} to {@code partitions}; returns once every partition's leader answers, as {@link #createTopic}. */
  public void addPartitions(String name, int partitions) {
    Admin a = admin();
    get(a.createPartitions(Map.of(name, NewPartitions.increaseTo(partitions))).all(), TOPIC_TIMEOUT,
        "grow topic " + name + " to " + partitions + " partitions");
    awaitLeadersAnswer(a, name, partitions);
  }

  private static void awaitLeadersAnswer(Admin a, String name, int partitions) {
    long deadline = deadline(TOPIC_TIMEOUT);
    while (!allPartitionsLed(a, List.of(name)) || !leadersAnswer(a, name, partitions)) {
      checkDeadline(deadline, "partitions of " + name + " to get a leader that answers");
      ChildJvm.sleep(100);
    }
  }

  /** ListOffsets goes to each partition's leader and fails until it has become leader. */
  private static boolean leadersAnswer(Admin a, String topic, int partitions) {
    Map<TopicPartition, OffsetSpec> specs = new java.util.HashMap<>();
    for (int p = 0; p < partitions; p++) {
      specs.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    try {
      a.listOffsets(specs).all().get(5, TimeUnit.SECONDS);
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Returns once the topic is gone from the listing, so the name can be reused at once. */
  public void deleteTopic(String name) {
    Admin a = admin();
    get(a.deleteTopics(List.of(name)).all(), TOPIC_TIMEOUT, "delete topic " + name);
    long deadline = deadline(TOPIC_TIMEOUT);
    while (get(a.listTopics().names(), TOPIC_TIMEOUT, "list topics").contains(name)) {
      checkDeadline(deadline, "topic " + name + " to disappear");
      ChildJvm.sleep(100);
    }
  }

  public Properties producerProperties() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return props;
  }

  public KafkaProducer<byte[], byte[]> newProducer() {
    return new KafkaProducer<>(producerProperties());
  }

  /** SIGTERM first (clean shutdown), SIGKILL if that takes too long. Data dir is kept for post-mortems. */
  @Override
  public synchronized void close() {
    closeAdmin();
    Process p = process;
    process = null;
    if (p != null) {
      ChildJvm.stop(p, GRACEFUL_STOP_TIMEOUT);
    }
  }

  // ---------------------------------------------------------------- process management

  private void writeConfig() throws IOException {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("process.roles", "broker,controller");
    c.put("node.id", "1");
    c.put("controller.quorum.voters", "1@" + HOST + ":" + controllerPort);
    StringBuilder listeners = new StringBuilder("PLAINTEXT://" + HOST + ":" + port);
    StringBuilder advertised = new StringBuilder("PLAINTEXT://" + HOST + ":" + port);
    StringBuilder protocolMap = new StringBuilder("PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    for (Map.Entry<String, Integer> e : extraPorts.entrySet()) {
      String l = "," + e.getKey() + "://" + HOST + ":" + e.getValue();
      listeners.append(l);
      advertised.append(l);
      protocolMap.append(',').append(e.getKey()).append(':').append(extraListeners.protocols().get(e.getKey()));
    }
    c.put("listeners", listeners + ",CONTROLLER://" + HOST + ":" + controllerPort);
    c.put("advertised.listeners", advertised.toString());
    c.put("controller.listener.names", "CONTROLLER");
    c.put("inter.broker.listener.name", "PLAINTEXT");
    c.put("listener.security.protocol.map", protocolMap.toString());
    c.put("log.dirs", dataDir.resolve("logs").toString().replace('\\', '/'));
    // single node: every replication factor and min ISR must be 1
    c.put("offsets.topic.replication.factor", "1");
    c.put("offsets.topic.num.partitions", "1"); // 50 by default: slow first group join
    c.put("transaction.state.log.replication.factor", "1");
    c.put("transaction.state.log.min.isr", "1");
    c.put("transaction.state.log.num.partitions", "1");
    c.put("default.replication.factor", "1");
    c.put("min.insync.replicas", "1");
    c.put("group.initial.rebalance.delay.ms", "0");
    // a SIGKILLed broker's session must expire quickly or the restart is refused (DUPLICATE_BROKER_REGISTRATION)
    c.put("broker.session.timeout.ms", "2000");
    c.put("broker.heartbeat.interval.ms", "500");
    c.put("num.partitions", "1");
    c.put("auto.create.topics.enable", "false");
    // keep data whatever the record timestamps (the default 7-day time retention judges by them);
    // a test that needs retention sets it per topic
    c.put("log.retention.ms", "-1");
    // small and fast on 2 cores
    c.put("num.network.threads", "2");
    c.put("num.io.threads", "2");
    c.put("background.threads", "2");
    c.put("num.recovery.threads.per.data.dir", "1");
    c.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024)); // 128 MB by default
    c.put("auto.leader.rebalance.enable", "false");
    c.putAll(extraListeners.config());
    StringBuilder sb = new StringBuilder("# written by io.zdl.test.kafka.KafkaBroker\n");
    c.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    Files.writeString(configFile(), sb.toString(), StandardCharsets.UTF_8);

    // the broker gets its own log4j2 config: INFO into broker.log, independent of the test JVM's
    String log4j = String.join("\n",
        "status = error",
        "appender.out.type = Console",
        "appender.out.name = out",
        "appender.out.layout.type = PatternLayout",
        "appender.out.layout.pattern = [%d] %p %m (%c)%n",
        "rootLogger.level = info",
        "rootLogger.appenderRef.out.ref = out",
        "logger.state.name = state.change.logger",
        "logger.state.level = warn",
        "logger.request.name = kafka.request.logger",
        "logger.request.level = warn",
        "");
    Files.writeString(log4jFile(), log4j, StandardCharsets.UTF_8);
  }

  private void formatStorageOnce() throws IOException {
    if (Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
      return;
    }
    Process p = javaProcess(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"), "kafka.tools.StorageTool",
        List.of("format", "-t", Uuid.randomUuid().toString(), "-c", configFile().toString()));
    int code = ChildJvm.awaitExit(p, FORMAT_TIMEOUT);
    if (code != 0) {
      throw new IllegalStateException("kafka StorageTool format exited with " + code + "; output:\n" + logTail());
    }
  }

  private synchronized void launchAndAwaitReady() {
    try {
      process = javaProcess(List.of("-Xmx512m", "-Xms64m", "-XX:+UseSerialGC"), "kafka.Kafka",
          List.of(configFile().toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    awaitReady(process);
  }

  /** Same java as ours; output appended to broker.log so a restart's log follows the crash's. */
  private Process javaProcess(List<String> jvmArgs, String mainClass, List<String> args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(ChildJvm.javaExecutable());
    cmd.addAll(jvmArgs);
    cmd.add("-Djava.awt.headless=true");
    cmd.add("-Dlog4j2.configurationFile=" + log4jFile());
    cmd.add("-cp");
    cmd.add(brokerClasspath);
    cmd.add(mainClass);
    cmd.addAll(args);
    Files.writeString(logFile, "\n===== starting " + mainClass + " =====\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    return ChildJvm.start(cmd, dataDir, logFile);
  }

  /** Port open, then a node in describeCluster, then a leader for every partition (matters after restart). */
  private void awaitReady(Process p) {
    long deadline = deadline(READY_TIMEOUT);
    // wait for the listener before creating a client, so the client doesn't log connection-refused noise
    while (!ChildJvm.canConnect(port)) {
      checkStarting(p, deadline, "broker port to open");
      ChildJvm.sleep(100);
    }
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "zdl-test-readiness");
    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "3000");
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    try (Admin probe = Admin.create(props)) {
      while (!hasNode(probe)) {
        checkStarting(p, deadline, "a node in describeCluster");
        ChildJvm.sleep(200);
      }
      while (!allPartitionsLed(probe, null)) {
        checkStarting(p, deadline, "every partition to have a leader");
        ChildJvm.sleep(200);
      }
    }
  }

  private void checkStarting(Process p, long deadline, String what) {
    if (!p.isAlive()) {
      ChildJvm.exited(p);
      throw new IllegalStateException("Kafka broker JVM exited with " + p.exitValue() + " while waiting for "
          + what + "; tail of " + logFile + ":\n" + logTail());
    }
    if (System.nanoTime() - deadline > 0) {
      throw new IllegalStateException("Kafka broker not ready after " + READY_TIMEOUT.toSeconds()
          + " s (waiting for " + what + "); tail of " + logFile + ":\n" + logTail());
    }
  }

  private static boolean hasNode(Admin a) {
    try {
      return !a.describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes()
          .get(5, TimeUnit.SECONDS).isEmpty();
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** All partitions of {@code topics} (all topics, internal ones included, if null) have a leader. */
  private static boolean allPartitionsLed(Admin a, Collection<String> topics) {
    try {
      Collection<String> names = topics != null ? topics
          : a.listTopics(new ListTopicsOptions().listInternal(true).timeoutMs(3000)).names()
              .get(5, TimeUnit.SECONDS);
      if (names.isEmpty()) {
        return true;
      }
      Map<String, TopicDescription> d = a.describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS);
      for (TopicDescription td : d.values()) {
        for (TopicPartitionInfo pi : td.partitions()) {
          if (pi.leader() == null || pi.leader().isEmpty()) {
            return false;
          }
        }
      }
      return true;
    } catch (ExecutionException | TimeoutException e) {
      return false; // not ready yet (e.g. UNKNOWN_TOPIC_OR_PARTITION right after create)
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private synchronized void closeAdmin() {
    if (admin != null) {
      admin.close(Duration.ZERO); // don't wait on a broker that may be dead
      admin = null;
    }
  }

  // ---------------------------------------------------------------- small helpers

  private Path configFile() {
    return dataDir.resolve("server.properties");
  }

  private Path log4jFile() {
    return dataDir.resolve("log4j2-broker.properties");
  }

  /** The last few KB of broker.log, for failure messages. */
  private String logTail() {
    return ChildJvm.tail(logFile, 8000);
  }

  private static <T> T get(KafkaFuture<T> f, Duration timeout, String what) {
    try {
      return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("failed to " + what + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s: " + what, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static long deadline(Duration d) {
    return System.nanoTime() + d.toNanos();
  }

  private static void checkDeadline(long deadline, String what) {
    if (System.nanoTime() - deadline > 0) {
      throw new IllegalStateException("timed out waiting for " + what);
    }
  }
}
