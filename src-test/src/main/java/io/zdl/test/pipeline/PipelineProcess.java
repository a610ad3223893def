package io.zdl.test.pipeline;

import io.zdl.test.process.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@link PipelineMain} in a child JVM with the JVM flags and classpath of this one; killable with SIGKILL. */
public final class PipelineProcess implements AutoCloseable {
  private final Process process;
  private final Path log;

  private PipelineProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * @param systemProperties extra -D settings, e.g. the crash point
   * @param args key=value arguments of {@link PipelineMain}
   */
  /** The connector's switch to its public Delta path (io.zdl.spark.delta.DeltaRuntime), passed on to children. */
  public static final String DELTA_INTERNALS = "zdl.delta.internals";

  public static PipelineProcess start(Path log, Map<String, String> systemProperties, List<String> args) {
    return start(log, systemProperties, PipelineMain.class.getName(), args, ChildJvm.classpath());
  }

  /** Like {@link #start(Path, Map, List)} with another main class (of this JVM's classpath) and its arguments. */
  public static PipelineProcess start(Path log, Map<String, String> systemProperties, String mainClass,
      List<String> args) {
    return start(log, systemProperties, mainClass, args, ChildJvm.classpath());
  }

  /**
   * As {@link #start(Path, Map, List)}, on another classpath: e.g. another Spark and Delta line with
   * the connector jar and this harness's classes.
   */
  public static PipelineProcess start(Path log, Map<String, String> systemProperties, List<String> args,
      String classpath) {
    return start(log, systemProperties, PipelineMain.class.getName(), args, classpath);
  }

  private static PipelineProcess start(Path log, Map<String, String> systemProperties, String mainClass,
      List<String> args, String classpath) {
    List<String> cmd = ChildJvm.javaCommand("1g");
    // the Delta path this JVM's tests run with (-Pdelta-public sets it), unless the caller chose one
    String deltaInternals = System.getProperty(DELTA_INTERNALS);
    if (deltaInternals != null && !systemProperties.containsKey(DELTA_INTERNALS)) {
      cmd.add("-D" + DELTA_INTERNALS + "=" + deltaInternals);
    }
    systemProperties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(mainClass);
    cmd.addAll(args);
    return new PipelineProcess(ChildJvm.start(cmd, null, log), log);
  }

  /** Waits for the JVM to end and returns its exit code; kills it and fails after {@code timeout}. */
  public int waitFor(Duration timeout) {
    try {
      return ChildJvm.awaitExit(process, timeout);
    } catch (IllegalStateException e) {
      throw new IllegalStateException(e.getMessage() + "; log:\n" + logTail(), e);
    }
  }

  /** SIGKILL, and waits until the JVM is gone. */
  public void kill() {
    ChildJvm.kill(process);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The last 60 lines of the pipeline's output, for failure messages. */
  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      kill();
    }
  }
}
