package io.zdl.bench;

import io.zdl.test.process.KeyValueArgs;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;

/**
 * Runs in a JVM of its own, started by {@link ConnectorBenchmark}, and prints one {@code RESULT}
 * line per measured run. Arguments are key=value:
 * <ul>
 *   <li>{@code mode=cold}: {@code workload} once, in this fresh JVM;</li>
 *   <li>{@code mode=warm}: each of {@code workloads} (comma separated) once unmeasured, then
 *       {@code reps} rounds of all of them, interleaved A B A B;</li>
 *   <li>{@code mode=plan}: planning of {@code topic} by both sources, interleaved, {@code warmup} times
 *       and then {@code reps} times more; every call is printed with its number.</li>
 * </ul>
 * Common: bootstrap, topic, scratch (a folder for checkpoints and tables), sourceOptions
 * (k1=v1;k2=v2, given to both sources).
 */
public final class BenchWorker {
  static final String RESULT = "RESULT";

  private BenchWorker() {}

  public static void main(String[] args) throws Exception {
    long jvmStartMs = ManagementFactory.getRuntimeMXBean().getStartTime();
    KeyValueArgs a = KeyValueArgs.parse(args);
    Path scratch = Files.createDirectories(Path.of(a.get("scratch")));
    long sessionT0 = System.currentTimeMillis();
    SparkSession spark = session(scratch);
    long sessionMs = System.currentTimeMillis() - sessionT0;
    String bootstrap = a.get("bootstrap");
    String topic = a.get("topic");
    Map<String, String> sourceOptions = options(a.getOrDefault("sourceOptions", ""));
    int reps = Integer.parseInt(a.getOrDefault("reps", "3"));
    String mode = a.get("mode");
    long brokerPid = Long.parseLong(a.getOrDefault("brokerPid", "-1"));
    if ("cold".equals(mode)) {
      Workload w = Workload.valueOf(a.get("workload"));
      long[] cpu0 = cpuNow(brokerPid);
      Workload.Result r = w.run(spark, bootstrap, topic, scratch, sourceOptions,
          Boolean.parseBoolean(a.getOrDefault("liveHeap", "false")));
      // JVM start to session ready: the same for every workload, reported apart from the read itself
      long jvmToSessionMs = sessionT0 + sessionMs - jvmStartMs;
      print(w.name(), r, "jvmToSessionMs=" + jvmToSessionMs + cpuSince(cpu0, brokerPid));
    } else if ("warm".equals(mode)) {
      List<Workload> ws = new ArrayList<>();
      for (String n : a.get("workloads").split(",")) {
        ws.add(Workload.valueOf(n.trim()));
      }
      for (Workload w : ws) {
        w.run(spark, bootstrap, topic, scratch, sourceOptions); // warm-up, unmeasured
      }
      for (int i = 0; i < reps; i++) {
        for (Workload w : ws) {
          System.gc(); // each run starts from the same heap, not from the previous run's garbage
          long[] cpu0 = cpuNow(brokerPid);
          Workload.Result r = w.run(spark, bootstrap, topic, scratch, sourceOptions);
          print(w.name(), r, "rep=" + i + cpuSince(cpu0, brokerPid));
        }
      }
    } else if ("plan".equals(mode)) {
      // as on a stream execution thread: the built-in source asserts an UninterruptibleThread and an active session
      Throwable[] failure = new Throwable[1];
      Thread t = new org.apache.spark.util.UninterruptibleThread(() -> {
        SparkSession.setActiveSession(spark);
        try {
          plan(bootstrap, topic, scratch, Integer.parseInt(a.getOrDefault("warmup", "0")) + reps);
        } catch (Throwable e) {
          failure[0] = e;
        }
      }, "bench-planning");
      t.start();
      t.join();
      if (failure[0] != null) {
        throw new IllegalStateException("planning benchmark failed", failure[0]);
      }
    } else {
      throw new IllegalArgumentException("mode must be cold, warm or plan: " + mode);
    }
    spark.stop();
    System.exit(0);
  }

  private static void plan(String bootstrap, String topic, Path scratch, int calls) {
    try (PlanningBench builtIn = new PlanningBench(new org.apache.spark.sql.kafka010.KafkaSourceProvider(),
            bootstrap, topic, scratch.resolve("plan-kafka-" + System.nanoTime()));
        PlanningBench zdl = new PlanningBench(new io.zdl.spark.kafka.ZdlKafkaSourceProvider(),
            bootstrap, topic, scratch.resolve("plan-zdl-" + System.nanoTime()))) {
      // the first call of each pays connection set-up and class loading: reported apart
      System.out.println(RESULT + " PLAN_KAFKA_FIRST micros=" + builtIn.planOnce() + " partitions="
          + builtIn.lastPartitionCount());
      System.out.println(RESULT + " PLAN_ZDL_FIRST micros=" + zdl.planOnce() + " partitions="
          + zdl.lastPartitionCount());
      for (int i = 0; i < calls; i++) {
        System.out.println(RESULT + " PLAN_KAFKA micros=" + builtIn.planOnce() + " call=" + i);
        System.out.println(RESULT + " PLAN_ZDL micros=" + zdl.planOnce() + " call=" + i);
      }
    }
  }

  /** CPU time used so far by this JVM and by the broker (-1 where unknown). */
  private static long[] cpuNow(long brokerPid) {
    return new long[] {CpuTime.thisProcessMillis(), CpuTime.processMillis(brokerPid)};
  }

  /** The CPU time used since {@code cpu0}, as RESULT fields. */
  private static String cpuSince(long[] cpu0, long brokerPid) {
    long[] now = cpuNow(brokerPid);
    String broker = now[1] < 0 || cpu0[1] < 0 ? "" : " brokerCpuMs=" + (now[1] - cpu0[1]);
    return " cpuMs=" + (now[0] - cpu0[0]) + broker;
  }

  private static void print(String name, Workload.Result r, String extra) {
    StringBuilder sb = new StringBuilder(RESULT).append(' ').append(name)
        .append(" records=").append(r.records)
        .append(" millis=").append(r.millis)
        .append(" peakHeap=").append(r.peakHeapBytes)
        .append(" peakLiveHeap=").append(r.peakLiveHeapBytes)
        .append(' ').append(extra);
    for (Map.Entry<String, Long> e : new TreeMap<>(r.firstBatchMs).entrySet()) {
      sb.append(" batch.").append(e.getKey()).append('=').append(e.getValue());
    }
    System.out.println(sb);
  }

  static Map<String, String> options(String spec) {
    Map<String, String> m = new HashMap<>();
    for (String kv : spec.split(";")) {
      int eq = kv.indexOf('=');
      if (eq > 0) {
        m.put(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
      }
    }
    return m;
  }

  /** As the test harness's session: local[2], Delta enabled, loopback only, no UI. */
  private static SparkSession session(Path scratch) {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("zdl-bench")
        .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2").config("spark.databricks.delta.snapshotPartitions", "2")
        .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
        .config("spark.local.dir", scratch.resolve("spark-local").toString())
        .config("spark.sql.warehouse.dir", scratch.resolve("spark-warehouse").toString())
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    return spark;
  }
}
