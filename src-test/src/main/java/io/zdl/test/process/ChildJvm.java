package io.zdl.test.process;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * What the harness's child JVMs (Kafka broker, s3proxy, the pipeline under test) share: the command
 * line, loopback ports, bounded waits and a reaper, so no child outlives the test JVM.
 */
public final class ChildJvm {
  public static final String LOOPBACK = "127.0.0.1";

  /** Children still running; one shutdown hook kills them all. */
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "zdl-child-reaper"));
  }

  private ChildJvm() {}

  /** The java of this JVM. */
  public static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * The JIT and collector flags of a test's child JVMs unless {@value #CHILD_JVM_OPTIONS} says otherwise
   * (an empty value: none). A pipeline JVM in a test lives for seconds to a minute, mostly Spark's start-up
   * and first batch: with the C1 compiler only and the serial collector it spends less CPU on compiling and
   * collecting, which on the 2 cores CI has is most of a run.
   */
  public static final String QUICK_START_OPTIONS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC";
  public static final String CHILD_JVM_OPTIONS = "zdl.test.childJvmOptions";

  /**
   * The start of a test child's command: java, its heap limit ({@code -Xmx}), the quick-start options (see
   * {@link #QUICK_START_OPTIONS}) and {@link #javaFlags()}.
   */
  public static List<String> javaCommand(String maxHeap) {
    List<String> cmd = throughputJavaCommand(maxHeap);
    String options = System.getProperty(CHILD_JVM_OPTIONS, QUICK_START_OPTIONS).trim();
    if (!options.isEmpty()) {
      cmd.addAll(1, List.of(options.split("\\s+")));
    }
    return cmd;
  }

  /** As {@link #javaCommand(String)} with the JVM's default compilers and collector: for measured runs. */
  public static List<String> throughputJavaCommand(String maxHeap) {
    List<String> cmd = new ArrayList<>();
    cmd.add(javaExecutable());
    cmd.add("-Xmx" + maxHeap);
    cmd.addAll(javaFlags());
    return cmd;
  }

  /** The {@code --add-opens} and related flags Spark needs on Java 17, as this JVM was given them. */
  public static List<String> javaFlags() {
    List<String> flags = new ArrayList<>();
    for (String jvmArg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (jvmArg.startsWith("--add-opens") || jvmArg.startsWith("-XX:+IgnoreUnrecognizedVMOptions")
          || jvmArg.startsWith("-Djdk.reflect.useDirectMethodHandle")) {
        flags.add(jvmArg);
      }
    }
    return flags;
  }

  /** This JVM's classpath; under Surefire {@code java.class.path} is only the booter jar. */
  public static String classpath() {
    String cp = System.getProperty("surefire.test.class.path");
    return cp == null || cp.isEmpty() ? System.getProperty("java.class.path") : cp;
  }

  /**
   * Starts {@code command} with its output appended to {@code log} and no input, and registers it
   * with the reaper.
   *
   * @param workDir working directory (where hs_err files and other strays land), or null
   */
  public static Process start(List<String> command, Path workDir, Path log) {
    return start(command, workDir, log, java.util.Collections.emptyMap());
  }

  /** As {@link #start(List, Path, Path)}, with extra environment variables. */
  public static Process start(List<String> command, Path workDir, Path log, java.util.Map<String, String> env) {
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
      if (workDir != null) {
        pb.directory(workDir.toFile());
      }
      pb.environment().putAll(env);
      Process p = pb.start();
      LIVE.add(p);
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for the child to exit and returns its code; kills it and fails after {@code timeout}. */
  public static int awaitExit(Process p, Duration timeout) {
    try {
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(p);
        throw new IllegalStateException("process " + p.pid() + " did not exit within " + timeout.toSeconds() + " s");
      }
      LIVE.remove(p);
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill(p);
      throw new IllegalStateException(e);
    }
  }

  /** SIGKILL, and waits (bounded) until the process is gone. */
  public static void kill(Process p) {
    p.destroyForcibly();
    try {
      p.waitFor(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      LIVE.remove(p);
    }
  }

  /** SIGTERM (a clean shutdown), then SIGKILL if it takes longer than {@code graceful}. */
  public static void stop(Process p, Duration graceful) {
    p.destroy();
    try {
      if (!p.waitFor(graceful.toMillis(), TimeUnit.MILLISECONDS)) {
        kill(p);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill(p);
    } finally {
      LIVE.remove(p);
    }
  }

  /** Forgets a child that exited on its own. */
  public static void exited(Process p) {
    LIVE.remove(p);
  }

  /** Distinct free loopback ports; all sockets are held open until every port is chosen. */
  public static int[] freePorts(int n) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      int[] ports = new int[n];
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK));
        sockets.add(s);
        ports[i] = s.getLocalPort();
      }
      return ports;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // best effort
        }
      }
    }
  }

  public static boolean canConnect(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(LOOPBACK, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The last {@code bytes} of a log file, for failure messages. */
  public static String tail(Path file, int bytes) {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
      long len = f.length();
      int n = (int) Math.min(len, bytes);
      byte[] buf = new byte[n];
      f.seek(len - n);
      f.readFully(buf);
      return new String(buf, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static File nullDevice() {
    return new File(System.getProperty("os.name").startsWith("Windows") ? "NUL" : "/dev/null");
  }
}
