package io.zdl.test.spark;

import io.zdl.test.process.ChildJvm;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Spark standalone cluster of separate JVMs on loopback, from the Maven jars of this JVM's
 * classpath: one master and {@code n} workers, each worker with one core, so a query's tasks run in
 * executor JVMs that a test can SIGKILL. There is no Spark distribution: each worker gets a stand-in
 * SPARK_HOME (a RELEASE file and an empty jars folder) and the application puts this classpath on
 * its executors through {@code spark.executor.extraClassPath} (see {@link #applicationSettings()}).
 */
public final class StandaloneCluster implements AutoCloseable {
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);

  private final Path dir;
  private final int masterPort;
  private final int masterUiPort;
  private final List<Process> processes = new ArrayList<>();
  private final List<Process> workers = new ArrayList<>();

  private StandaloneCluster(Path dir, int masterPort, int masterUiPort) {
    this.dir = dir;
    this.masterPort = masterPort;
    this.masterUiPort = masterUiPort;
  }

  /** Starts the master and {@code workers} workers; returns once every worker is registered and alive. */
  public static StandaloneCluster start(Path dir, int workers) {
    Path d = dir.toAbsolutePath();
    int[] ports = ChildJvm.freePorts(2 + 2 * workers);
    StandaloneCluster c = new StandaloneCluster(d, ports[0], ports[1]);
    try {
      Path home = Files.createDirectories(d.resolve("spark-home"));
      Files.createDirectories(home.resolve("jars"));
      Files.createDirectories(home.resolve("conf"));
      Files.writeString(home.resolve("RELEASE"), "stand-in SPARK_HOME for io.zdl.test.spark.StandaloneCluster\n");
      c.launch("master", "org.apache.spark.deploy.master.Master", List.of("--host", ChildJvm.LOOPBACK,
          "--port", String.valueOf(ports[0]), "--webui-port", String.valueOf(ports[1])), home);
      for (int i = 0; i < workers; i++) {
        Path work = Files.createDirectories(d.resolve("worker-" + i));
        c.workers.add(c.launch("worker-" + i, "org.apache.spark.deploy.worker.Worker", List.of("--host",
            ChildJvm.LOOPBACK, "--port", String.valueOf(ports[2 + 2 * i]), "--webui-port",
            String.valueOf(ports[3 + 2 * i]), "--cores", "1", "--memory", "1g", "--work-dir", work.toString(),
            c.masterUrl()), home));
      }
      c.awaitWorkers(workers);
      return c;
    } catch (IOException e) {
      c.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      c.close();
      throw e;
    }
  }

  public String masterUrl() {
    return "spark://" + ChildJvm.LOOPBACK + ":" + masterPort;
  }

  /**
   * What an application on this cluster needs: the master, this classpath and the Java 17 flags on
   * its executors, one core and 512 MB each.
   */
  public Map<String, String> applicationSettings() {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("spark.master", masterUrl());
    s.put("spark.executor.extraClassPath", ChildJvm.classpath());
    s.put("spark.executor.extraJavaOptions", String.join(" ", ChildJvm.javaFlags()));
    s.put("spark.executor.cores", "1");
    s.put("spark.executor.memory", "512m");
    s.put("spark.cores.max", String.valueOf(workers.size()));
    return s;
  }

  /** The executor JVMs running now: the workers' child processes. */
  public List<ProcessHandle> executors() {
    List<ProcessHandle> out = new ArrayList<>();
    for (Process w : workers) {
      w.toHandle().descendants().filter(ProcessHandle::isAlive).forEach(out::add);
    }
    return out;
  }

  /** SIGKILLs one running executor JVM, the {@code pick}-th (modulo their number); empty if none runs. */
  public Optional<Long> killExecutor(int pick) {
    List<ProcessHandle> running = executors();
    if (running.isEmpty()) {
      return Optional.empty();
    }
    ProcessHandle victim = running.get(Math.floorMod(pick, running.size()));
    victim.destroyForcibly();
    return Optional.of(victim.pid());
  }

  @Override
  public synchronized void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
      ChildJvm.stop(p, STOP_TIMEOUT);
    }
    processes.clear();
  }

  private Process launch(String name, String mainClass, List<String> args, Path sparkHome) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ChildJvm.javaExecutable());
    cmd.add("-Xmx256m");
    cmd.add("-XX:+UseSerialGC");
    cmd.addAll(ChildJvm.javaFlags());
    cmd.add("-cp");
    cmd.add(ChildJvm.classpath());
    cmd.add(mainClass);
    cmd.addAll(args);
    Map<String, String> env = Map.of("SPARK_HOME", sparkHome.toString(), "SPARK_SCALA_VERSION", "2.12",
        "SPARK_LOCAL_IP", ChildJvm.LOOPBACK, "SPARK_LOCAL_DIRS", dir.resolve("local").toString());
    Process p = ChildJvm.start(cmd, dir, dir.resolve(name + ".log"), env);
    processes.add(p);
    return p;
  }


  /** Polls the master's JSON page until {@code n} workers are ALIVE. */
  private void awaitWorkers(int n) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    String last = "";
    while (System.nanoTime() - deadline < 0) {
      for (Process p : processes) {
        if (!p.isAlive()) {
          throw new IllegalStateException("a Spark standalone JVM exited with " + p.exitValue() + "; logs in " + dir);
        }
      }
      last = masterJson();
      if (count(last, "\"state\" : \"ALIVE\"") + count(last, "\"state\":\"ALIVE\"") >= n) {
        return;
      }
      ChildJvm.sleep(500);
    }
    throw new IllegalStateException(n + " workers not alive after " + READY_TIMEOUT.toSeconds() + " s; master says: "
        + last + "; logs in " + dir);
  }

  private String masterJson() {
    try {
      HttpURLConnection c = (HttpURLConnection) new URL("http://" + ChildJvm.LOOPBACK + ":" + masterUiPort + "/json/")
          .openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(3000);
      try (InputStream in = c.getInputStream()) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }

  private static int count(String s, String what) {
    int n = 0;
    for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) {
      n++;
    }
    return n;
  }
}
