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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A real Kafka cluster in KRaft mode: one controller (a quorum of one) and {@code n} brokers, each
 * in its own JVM on loopback, so a test can SIGKILL and restart single brokers (leader elections,
 * replicas falling behind, unclean elections). Brokers have node ids 1..n; the controller is 0.
 */
public final class KafkaCluster implements AutoCloseable {
  private static final String HOST = ChildJvm.LOOPBACK;
  private static final int CONTROLLER_ID = 0;
  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  private final Path dir;
  private final int controllerPort;
  private final Map<Integer, Integer> brokerPorts = new TreeMap<>();
  private final Map<Integer, Process> processes = new TreeMap<>();
  private Admin admin;

  private KafkaCluster(Path dir, int controllerPort) {
    this.dir = dir;
    this.controllerPort = controllerPort;
  }

  /** Formats and starts a controller and {@code brokers} brokers under {@code dir}; returns when all brokers are registered. */
  public static KafkaCluster start(Path dir, int brokers) {
    int[] ports = ChildJvm.freePorts(brokers + 1);
    KafkaCluster c = new KafkaCluster(dir.toAbsolutePath(), ports[0]);
    for (int id = 1; id <= brokers; id++) {
      c.brokerPorts.put(id, ports[id]);
    }
    try {
      String clusterId = Uuid.randomUuid().toString();
      List<Process> formats = new ArrayList<>();
      for (int id = 0; id <= brokers; id++) {
        c.writeConfig(id);
        formats.add(c.java(id, List.of("-Xmx256m", "-XX:TieredStopAtLevel=1"), "kafka.tools.StorageTool",
            List.of("format", "-t", clusterId, "-c", c.config(id).toString())));
      }
      for (int id = 0; id <= brokers; id++) {
        if (ChildJvm.awaitExit(formats.get(id), Duration.ofSeconds(60)) != 0) {
          throw new IllegalStateException("formatting node " + id + " failed:\n" + ChildJvm.tail(c.log(id), 4000));
        }
      }
      for (int id = 0; id <= brokers; id++) {
        c.launch(id);
      }
      c.await("all " + brokers + " brokers to register", () -> c.liveBrokers() == brokers);
      return c;
    } catch (RuntimeException | Error e) {
      c.close();
      throw e;
    }
  }

  public String bootstrapServers() {
    StringJoiner j = new StringJoiner(",");
    brokerPorts.values().forEach(p -> j.add(HOST + ":" + p));
    return j.toString();
  }

  /** SIGKILL of broker {@code id}: no clean shutdown, no flush. */
  public synchronized void kill(int id) {
    closeAdmin(); // a client keeps to the brokers its metadata named and never goes back to the bootstrap list
    Process p = processes.remove(id);
    if (p != null) {
      ChildJvm.kill(p);
    }
  }

  /**
   * Starts broker {@code id} again on its data and port; returns once it is registered and unfenced.
   * A SIGKILLed broker is refused until its old session expires (broker.session.timeout.ms, 2 s here).
   */
  public synchronized void restart(int id) {
    kill(id);
    launch(id);
    await("broker " + id + " to register again", () -> liveBrokerIds().contains(id));
  }

  /** Starts every broker that is not running (after a test killed some); returns once all are registered. */
  public synchronized void startAll() {
    boolean started = false;
    for (int id : brokerPorts.keySet()) {
      if (!processes.containsKey(id)) {
        launch(id);
        started = true;
      }
    }
    if (started) {
      await("all " + brokerPorts.size() + " brokers to register", () -> liveBrokers() == brokerPorts.size());
    }
  }

  /** The topic with {@code replicas} replicas and these topic configs; returns once every partition has a leader. */
  public void createTopic(String name, int partitions, int replicas, Map<String, String> configs) {
    create(new NewTopic(name, partitions, (short) replicas).configs(configs), replicas);
  }

  /** A one-partition topic on exactly these brokers, the first its leader. */
  public void createTopic(String name, List<Integer> replicaIds, Map<String, String> configs) {
    create(new NewTopic(name, Map.of(0, replicaIds)).configs(configs), replicaIds.size());
  }

  private void create(NewTopic topic, int replicas) {
    String name = topic.name();
    get(() -> admin().createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS));
    await("leaders of " + name, () -> {
      try {
        TopicDescription d = admin().describeTopics(List.of(name)).allTopicNames().get(5, TimeUnit.SECONDS).get(name);
        return d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()
            && p.isr().size() == replicas);
      } catch (ExecutionException | TimeoutException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    });
  }

  /** The partition as the cluster's metadata describes it now (leader, replicas, ISR). */
  public TopicPartitionInfo describe(TopicPartition tp) {
    return get(() -> admin().describeTopics(List.of(tp.topic())).allTopicNames().get(10, TimeUnit.SECONDS)
        .get(tp.topic()).partitions().get(tp.partition()));
  }

  /** The partition's leader's node id, if it has one. */
  public Optional<Integer> leaderOf(TopicPartition tp) {
    Node leader = describe(tp).leader();
    return leader == null || leader.isEmpty() ? Optional.empty() : Optional.of(leader.id());
  }

  public synchronized Admin admin() {
    if (admin == null) {
      Properties props = new Properties();
      props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
      props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
      props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "15000");
      admin = Admin.create(props);
    }
    return admin;
  }

  /** An idempotent producer with acks=all. */
  public KafkaProducer<byte[], byte[]> newProducer() {
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "60000");
    return new KafkaProducer<>(props);
  }

  /** Waits, bounded, for {@code condition}. */
  public void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      for (Map.Entry<Integer, Process> e : processes.entrySet()) {
        if (!e.getValue().isAlive()) {
          throw new IllegalStateException("node " + e.getKey() + " exited while waiting for " + what + ":\n"
              + ChildJvm.tail(log(e.getKey()), 6000));
        }
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException("timed out after " + TIMEOUT.toSeconds() + " s waiting for " + what);
      }
      ChildJvm.sleep(200);
    }
  }

  /** Every node's log, as the JVMs wrote them. */
  public Path log(int id) {
    return node(id).resolve("node.log");
  }

  private synchronized void closeAdmin() {
    if (admin != null) {
      admin.close(Duration.ZERO);
      admin = null;
    }
  }

  @Override
  public synchronized void close() {
    closeAdmin();
    for (Process p : processes.values()) {
      ChildJvm.stop(p, Duration.ofSeconds(10));
    }
    processes.clear();
  }

  // ------------------------------------------------------------------------------------------

  private int liveBrokers() {
    return liveBrokerIds().size();
  }

  /** Brokers the controller counts as alive and unfenced. */
  private java.util.Set<Integer> liveBrokerIds() {
    try {
      java.util.Set<Integer> ids = new java.util.TreeSet<>();
      for (Node n : admin().describeCluster(new DescribeClusterOptions().timeoutMs(3000)).nodes()
          .get(5, TimeUnit.SECONDS)) {
        ids.add(n.id());
      }
      return ids;
    } catch (ExecutionException | TimeoutException e) {
      return java.util.Set.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private synchronized void launch(int id) {
    processes.put(id, java(id, List.of("-Xmx320m", "-Xms64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
        "kafka.Kafka", List.of(config(id).toString())));
    int port = id == CONTROLLER_ID ? controllerPort : brokerPorts.get(id);
    await("node " + id + " to listen", () -> ChildJvm.canConnect(port));
  }

  private Process java(int id, List<String> jvmArgs, String main, List<String> args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ChildJvm.javaExecutable());
    cmd.addAll(jvmArgs);
    cmd.add("-Djava.awt.headless=true");
    cmd.add("-Dlog4j2.configurationFile=" + node(id).resolve("log4j2.properties"));
    cmd.add("-cp");
    cmd.add(ChildJvm.classpath());
    cmd.add(main);
    cmd.addAll(args);
    try {
      Files.writeString(log(id), "\n===== starting " + main + " =====\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ChildJvm.start(cmd, node(id), log(id));
  }

  private void writeConfig(int id) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("node.id", Integer.toString(id));
    c.put("controller.quorum.voters", CONTROLLER_ID + "@" + HOST + ":" + controllerPort);
    c.put("controller.listener.names", "CONTROLLER");
    c.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    c.put("log.dirs", node(id).resolve("logs").toString().replace('\\', '/'));
    // a killed broker is fenced (and leaves the ISRs) 2 s after its last heartbeat, and may register again then
    c.put("broker.session.timeout.ms", "2000");
    c.put("broker.heartbeat.interval.ms", "500");
    if (id == CONTROLLER_ID) {
      c.put("process.roles", "controller");
      c.put("listeners", "CONTROLLER://" + HOST + ":" + controllerPort);
    } else {
      int port = brokerPorts.get(id);
      c.put("process.roles", "broker");
      c.put("listeners", "PLAINTEXT://" + HOST + ":" + port);
      c.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
      c.put("inter.broker.listener.name", "PLAINTEXT");
      c.put("offsets.topic.num.partitions", "1");
      c.put("offsets.topic.replication.factor", "1");
      c.put("transaction.state.log.replication.factor", "1");
      c.put("transaction.state.log.min.isr", "1");
      c.put("transaction.state.log.num.partitions", "1");
      c.put("min.insync.replicas", "1");
      c.put("replica.lag.time.max.ms", "3000");
      c.put("group.initial.rebalance.delay.ms", "0");
      c.put("auto.create.topics.enable", "false");
      c.put("auto.leader.rebalance.enable", "false");
      c.put("log.retention.ms", "-1");
      c.put("num.network.threads", "1");
      c.put("num.io.threads", "2");
      c.put("background.threads", "2");
      c.put("num.recovery.threads.per.data.dir", "1");
      c.put("num.replica.fetchers", "1");
      c.put("log.cleaner.enable", "false");
    }
    StringBuilder sb = new StringBuilder("# written by io.zdl.test.kafka.KafkaCluster\n");
    c.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    String log4j = String.join("\n", "status = error", "appender.out.type = Console", "appender.out.name = out",
        "appender.out.layout.type = PatternLayout", "appender.out.layout.pattern = [%d] %p %m (%c)%n",
        "rootLogger.level = info", "rootLogger.appenderRef.out.ref = out", "logger.state.name = state.change.logger",
        "logger.state.level = warn", "logger.request.name = kafka.request.logger", "logger.request.level = warn", "");
    try {
      Files.createDirectories(node(id));
      Files.writeString(config(id), sb.toString(), StandardCharsets.UTF_8);
      Files.writeString(node(id).resolve("log4j2.properties"), log4j, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Path node(int id) {
    return dir.resolve("node-" + id);
  }

  private Path config(int id) {
    return node(id).resolve("server.properties");
  }

  private interface Call<T> {
    T call() throws Exception;
  }

  private static <T> T get(Call<T> call) {
    try {
      return call.call();
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
