package io.zdl.bench;

import io.zdl.test.kafka.KafkaBroker;
import io.zdl.test.process.ChildJvm;
import io.zdl.test.process.KeyValueArgs;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The side-by-side benchmark (Maven profile {@code -Pbench} of src-test; see project-docs/benchmarks.md).
 * Starts a real broker, produces each data profile once, then measures every workload of
 * {@link Workload} cold (a fresh JVM per run) and warm (one JVM, each workload once unmeasured
 * first), interleaved A B A B, and the planning of a 100-partition topic by both sources; prints a
 * Markdown report and writes it to {@code out}.
 *
 * <p>Arguments, key=value: profiles (COUNTxVALUEBYTES, comma separated; default
 * 5000000x100,1000000x1024), partitions (8), reps (5), modes (cold,warm,plan,memory),
 * workloads (all), planPartitions (100), planRounds (3), planWarmup (300), planReps (100), workerHeap (2g), memoryRecords (10000000),
 * memoryMaxOffsetsPerTrigger (500000), memoryHeap (1g), dir (target/bench), out (dir/report.md).
 */
public final class ConnectorBenchmark {
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(40);

  private final Map<String, String> args;
  private final Path dir;
  private final int reps;
  private final List<Workload> workloads = new ArrayList<>();
  private final StringBuilder report = new StringBuilder();
  private KafkaBroker broker;

  private ConnectorBenchmark(Map<String, String> args) {
    this.args = args;
    this.dir = Path.of(args.getOrDefault("dir", "target/bench")).toAbsolutePath();
    this.reps = Integer.parseInt(args.getOrDefault("reps", "5"));
    for (String w : args.getOrDefault("workloads", "RAW,KAFKA_NOOP,ZDL_NOOP,KAFKA_DELTA,ZDL_DELTA").split(",")) {
      workloads.add(Workload.valueOf(w.trim()));
    }
  }

  public static void main(String[] argv) throws Exception {
    KeyValueArgs a = KeyValueArgs.parse(argv);
    int code = 0;
    try {
      new ConnectorBenchmark(a.asMap()).run();
    } catch (Throwable t) {
      t.printStackTrace();
      code = 1;
    }
    System.exit(code);
  }

  private void run() throws IOException {
    Workload.deleteQuietly(dir);
    Files.createDirectories(dir);
    List<String> modes = Arrays.asList(args.getOrDefault("modes", "cold,warm,plan,memory").split(","));
    header();
    broker = KafkaBroker.start(dir.resolve("broker"));
    try {
      boolean reads = modes.contains("cold") || modes.contains("warm");
      for (String profile : args.getOrDefault("profiles", "5000000x100,1000000x1024").split(",")) {
        if (!reads || profile.trim().isEmpty()) {
          break;
        }
        String[] p = profile.trim().toLowerCase(Locale.ROOT).split("x");
        long count = Long.parseLong(p[0]);
        int valueBytes = Integer.parseInt(p[1]);
        String topic = "bench-" + count + "x" + valueBytes;
        produce(topic, Integer.parseInt(args.getOrDefault("partitions", "8")), count, valueBytes);
        Table table = new Table(count, valueBytes);
        if (modes.contains("cold")) {
          for (int i = 0; i < reps; i++) {
            for (Workload w : workloads) {
              table.add(w, "cold", worker("cold-" + topic + "-" + w + "-" + i, workerHeap(), topic,
                  "mode=cold", "workload=" + w.name()).get(0));
            }
          }
        }
        if (modes.contains("warm")) {
          StringBuilder names = new StringBuilder();
          for (Workload w : workloads) {
            names.append(names.length() == 0 ? "" : ",").append(w.name());
          }
          for (Map<String, String> r : worker("warm-" + topic, workerHeap(), topic, "mode=warm",
              "workloads=" + names, "reps=" + reps)) {
            table.add(Workload.valueOf(r.get("name")), "warm", r);
          }
        }
        table.appendTo(report, profile.trim());
        flush();
      }
      if (modes.contains("plan")) {
        plan();
        flush();
      }
      if (modes.contains("memory")) {
        memory();
        flush();
      }
    } finally {
      broker.close();
    }
    report.append("\nFinished ").append(Instant.now()).append("; load average at the end ")
        .append(String.format(Locale.ROOT, "%.1f", loadAverage())).append(".\n");
    flush();
    System.out.println(report);
  }

  private String workerHeap() {
    return args.getOrDefault("workerHeap", "2g");
  }

  private void header() {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    report.append("## Run of ").append(Instant.now()).append("\n\n")
        .append("- machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
        .append(os.getTotalMemorySize() >> 20).append(" MB memory, ").append(System.getProperty("os.name"))
        .append(' ').append(System.getProperty("os.arch")).append('\n')
        .append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ')
        .append(System.getProperty("java.runtime.version")).append("; worker heap -Xmx").append(workerHeap())
        .append("; Spark local[2]\n")
        .append("- load average when the run started: ").append(String.format(Locale.ROOT, "%.1f", loadAverage()))
        .append(" (other work on the machine disturbs absolute figures; interleaved ratios less)\n")
        .append("- arguments: ").append(new java.util.TreeMap<>(args)).append("\n\n");
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private void flush() throws IOException {
    Path out = Path.of(args.getOrDefault("out", dir.resolve("report.md").toString()));
    Files.writeString(out, report.toString(), StandardCharsets.UTF_8);
  }

  /** Null keys, values of {@code valueBytes} bytes, round robin over the partitions. */
  private void produce(String topic, int partitions, long count, int valueBytes) {
    long t0 = System.nanoTime();
    broker.createTopic(topic, partitions);
    Properties props = broker.producerProperties();
    props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(512 * 1024));
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, String.valueOf(128L << 20));
    Random random = new Random(42);
    byte[][] values = new byte[64][];
    for (int i = 0; i < values.length; i++) {
      values[i] = new byte[valueBytes];
      random.nextBytes(values[i]);
    }
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
      for (long i = 0; i < count; i++) {
        producer.send(new ProducerRecord<>(topic, (int) (i % partitions), null, values[(int) (i % values.length)]));
      }
      producer.flush();
    }
    System.out.printf(Locale.ROOT, "produced %d records of %d bytes to %s in %.1f s%n", count, valueBytes, topic,
        (System.nanoTime() - t0) / 1e9);
  }

  /** Runs a {@link BenchWorker} in a fresh JVM and returns its RESULT lines, parsed. */
  private List<Map<String, String>> worker(String name, String heap, String topic, String... workerArgs) {
    List<String> cmd = ChildJvm.throughputJavaCommand(heap);
    String extraJvm = args.get("workerJvmArgs"); // e.g. a profiler agent
    if (extraJvm != null) {
      cmd.addAll(Arrays.asList(extraJvm.split(" ")));
    }
    cmd.add("-cp");
    cmd.add(ChildJvm.classpath());
    cmd.add(BenchWorker.class.getName());
    cmd.add("bootstrap=" + broker.bootstrapServers());
    cmd.add("topic=" + topic);
    cmd.add("scratch=" + dir.resolve("scratch"));
    cmd.add("brokerPid=" + broker.pid());
    if (args.containsKey("sourceOptions")) {
      cmd.add("sourceOptions=" + args.get("sourceOptions"));
    }
    cmd.addAll(Arrays.asList(workerArgs));
    Path log = dir.resolve("logs").resolve(name + ".log");
    System.out.println("running " + name);
    Process p = ChildJvm.start(cmd, null, log);
    int code = ChildJvm.awaitExit(p, RUN_TIMEOUT);
    List<Map<String, String>> results = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
        if (line.startsWith(BenchWorker.RESULT + " ")) {
          String[] parts = line.split(" ");
          Map<String, String> r = new LinkedHashMap<>();
          r.put("name", parts[1]);
          for (int i = 2; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            r.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
          }
          System.out.println("  " + line);
          results.add(r);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    if (code != 0 || results.isEmpty()) {
      throw new IllegalStateException(name + " exited with " + code + "; log " + log + ":\n" + ChildJvm.tail(log, 6000));
    }
    return results;
  }

  /**
   * Planning as a stream meets it twice: in its first batches (the JVM still compiling the code: calls
   * 1 to 20 after the first) and in its steady state (after {@code planWarmup} calls of each).
   */
  private void plan() {
    int partitions = Integer.parseInt(args.getOrDefault("planPartitions", "100"));
    int warmup = Integer.parseInt(args.getOrDefault("planWarmup", "300"));
    int early = 20;
    if (warmup < early) {
      throw new IllegalArgumentException("planWarmup must be at least " + early + ": " + warmup);
    }
    String topic = "bench-plan-" + partitions;
    produce(topic, partitions, partitions * 10L, 100);
    Map<String, List<Double>> first = new LinkedHashMap<>();
    Map<String, List<Double>> earlyMicros = new LinkedHashMap<>();
    Map<String, List<Double>> steadyMicros = new LinkedHashMap<>();
    int rounds = Integer.parseInt(args.getOrDefault("planRounds", "3"));
    List<Map<String, String>> results = new ArrayList<>();
    for (int round = 0; round < rounds; round++) { // a fresh JVM each: one JVM's JIT and GC luck decides less
      results.addAll(worker("plan-" + round, workerHeap(), topic, "mode=plan", "warmup=" + warmup,
          "reps=" + args.getOrDefault("planReps", "100")));
    }
    for (Map<String, String> r : results) {
      double micros = Double.parseDouble(r.get("micros"));
      if (!r.containsKey("call")) {
        first.computeIfAbsent(r.get("name"), k -> new ArrayList<>()).add(micros);
        continue;
      }
      int call = Integer.parseInt(r.get("call"));
      if (call < early) {
        earlyMicros.computeIfAbsent(r.get("name"), k -> new ArrayList<>()).add(micros);
      }
      if (call >= warmup) {
        steadyMicros.computeIfAbsent(r.get("name"), k -> new ArrayList<>()).add(micros);
      }
    }
    report.append("\n### Planning one micro-batch of a ").append(partitions).append("-partition topic\n\n")
        .append("latestOffset + planInputPartitions through the DataSource V2 interfaces, interleaved, in ")
        .append(rounds).append(" fresh JVMs (figures pooled over them). The first call of each (connections, class loading) apart; then calls 1 to ")
        .append(early).append(" (the JIT still compiling, as in a stream's first batches), and the calls after ")
        .append(warmup).append(" unmeasured ones of each (the steady state of a long-running stream).\n\n")
        .append("| source | first call median ms | calls 1-").append(early).append(" median ms | steady median ms ")
        .append("| steady min ms | steady max ms | steady calls |\n|---|---|---|---|---|---|---|\n");
    for (String s : new String[] {"KAFKA", "ZDL"}) {
      Stats st = new Stats(steadyMicros.get("PLAN_" + s));
      report.append(String.format(Locale.ROOT, "| %s | %.1f | %.2f | %.2f | %.2f | %.2f | %d |%n",
          s.equals("ZDL") ? "zdl-kafka" : "kafka", new Stats(first.get("PLAN_" + s + "_FIRST")).median / 1000,
          new Stats(earlyMicros.get("PLAN_" + s)).median / 1000, st.median / 1000, st.min / 1000, st.max / 1000,
          steadyMicros.get("PLAN_" + s).size()));
    }
    double earlyRatio = new Stats(earlyMicros.get("PLAN_ZDL")).median / new Stats(earlyMicros.get("PLAN_KAFKA")).median;
    double ratio = new Stats(steadyMicros.get("PLAN_ZDL")).median / new Stats(steadyMicros.get("PLAN_KAFKA")).median;
    report.append(String.format(Locale.ROOT, "%nPlanning ratio zdl-kafka / kafka (median time; below 1 is faster): "
        + "calls 1-%d **%.2f**, steady state **%.2f**%n", early, earlyRatio, ratio));
  }

  /** A backlog read in bounded batches in a small heap: the peak shows whether memory stays bounded. */
  private void memory() {
    long count = Long.parseLong(args.getOrDefault("memoryRecords", "10000000"));
    String topic = "bench-" + count + "x100";
    boolean exists;
    try {
      exists = broker.admin().listTopics().names().get().contains(topic);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    if (!exists) {
      produce(topic, Integer.parseInt(args.getOrDefault("partitions", "8")), count, 100);
    }
    String maxPerTrigger = args.getOrDefault("memoryMaxOffsetsPerTrigger", "500000");
    String heap = args.getOrDefault("memoryHeap", "1g");
    report.append("\n### Memory: a backlog of ").append(count).append(" records, maxOffsetsPerTrigger=")
        .append(maxPerTrigger).append(", -Xmx").append(heap).append(", fresh JVM\n\n")
        .append("Driver and executor share the JVM (local[2]): the peaks are of both. Peak heap: in use, sampled ")
        .append("every 10 ms (garbage included: it depends on when the collector runs). Live heap: in use after a ")
        .append("full collection run on each batch's progress event, what the query keeps alive (those collections ")
        .append("also stop the run, so s is not a speed figure here).\n\n")
        .append("| workload | records | s | peak heap MB | peak live heap MB | 1st batch addBatch ms |\n")
        .append("|---|---|---|---|---|---|\n");
    for (Workload w : new Workload[] {Workload.KAFKA_DELTA, Workload.ZDL_DELTA}) {
      List<String> wargs = new ArrayList<>(List.of("mode=cold", "workload=" + w.name(), "liveHeap=true"));
      String opts = args.getOrDefault("sourceOptions", "");
      wargs.add("sourceOptions=" + (opts.isEmpty() ? "" : opts + ";") + "maxOffsetsPerTrigger=" + maxPerTrigger);
      Map<String, String> r = worker("memory-" + w, heap, topic, wargs.toArray(new String[0])).get(0);
      report.append(String.format(Locale.ROOT, "| %s | %s | %.1f | %d | %d | %s |%n", w.label, r.get("records"),
          Long.parseLong(r.get("millis")) / 1000.0, Long.parseLong(r.get("peakHeap")) >> 20,
          Long.parseLong(r.get("peakLiveHeap")) >> 20, r.getOrDefault("batch.addBatch", "-")));
    }
  }

  /** Median, min and max. */
  static final class Stats {
    final double median;
    final double min;
    final double max;

    Stats(List<Double> xs) {
      double[] v = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      min = v[0];
      max = v[v.length - 1];
      median = v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
  }

  /** One data profile's figures. */
  private static final class Table {
    private final long count;
    private final int valueBytes;
    private final Map<String, List<Map<String, String>>> runs = new LinkedHashMap<>();

    Table(long count, int valueBytes) {
      this.count = count;
      this.valueBytes = valueBytes;
    }

    void add(Workload w, String mode, Map<String, String> r) {
      long records = Long.parseLong(r.get("records"));
      if (records != count) {
        throw new IllegalStateException(w.label + " (" + mode + ") read " + records + " records, not " + count);
      }
      runs.computeIfAbsent(mode + ":" + w.name(), k -> new ArrayList<>()).add(r);
    }

    private Stats recordsPerSecond(String key) {
      List<Double> xs = new ArrayList<>();
      for (Map<String, String> r : runs.get(key)) {
        xs.add(count * 1000.0 / Math.max(1, Long.parseLong(r.get("millis"))));
      }
      return new Stats(xs);
    }

    private Stats of(String key, String field) {
      List<Double> xs = new ArrayList<>();
      for (Map<String, String> r : runs.get(key)) {
        if (r.containsKey(field)) {
          xs.add(Double.parseDouble(r.get(field)));
        }
      }
      return xs.isEmpty() ? null : new Stats(xs);
    }

    void appendTo(StringBuilder out, String profile) {
      out.append("\n### ").append(count).append(" records x ").append(valueBytes).append(" B values (profile ")
          .append(profile).append(")\n\n")
          .append("records/s and MB/s (of values) are medians over the runs; spread = min..max records/s. ")
          .append("Cold: a fresh JVM per run, timed from the query's start (the JVM and SparkSession start, ")
          .append("the same for all, is the jvm+session column). Warm: the same query once unmeasured first.\n\n")
          .append("| mode | workload | runs | records/s | MB/s | spread records/s | peak heap MB | jvm+session s ")
          .append("| set-up before 1st trigger ms | 1st batch: latestOffset / queryPlanning / addBatch ms ")
          .append("| CPU s per M records: reader JVM / broker |\n")
          .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
      for (Map.Entry<String, List<Map<String, String>>> e : runs.entrySet()) {
        String[] k = e.getKey().split(":");
        Stats rps = recordsPerSecond(e.getKey());
        Stats heap = of(e.getKey(), "peakHeap");
        Stats session = of(e.getKey(), "jvmToSessionMs");
        Stats lo = of(e.getKey(), "batch.latestOffset");
        Stats qp = of(e.getKey(), "batch.queryPlanning");
        Stats ab = of(e.getKey(), "batch.addBatch");
        Stats setup = of(e.getKey(), "batch.setupBeforeFirstTrigger");
        Stats cpu = of(e.getKey(), "cpuMs");
        Stats brokerCpu = of(e.getKey(), "brokerCpuMs");
        out.append(String.format(Locale.ROOT, "| %s | %s | %d | %,.0f | %.1f | %,.0f..%,.0f | %.0f | %s | %s | %s | %s |%n",
            k[0], Workload.valueOf(k[1]).label, e.getValue().size(), rps.median,
            rps.median * valueBytes / 1e6, rps.min, rps.max, heap.median / (1 << 20),
            session == null ? "-" : String.format(Locale.ROOT, "%.1f", session.median / 1000),
            setup == null ? "-" : String.format(Locale.ROOT, "%.0f", setup.median),
            lo == null ? "-" : String.format(Locale.ROOT, "%.0f / %.0f / %.0f", lo.median, qp.median, ab.median),
            cpuPerMillionRecords(cpu, brokerCpu)));
      }
      out.append("\nRatios of median records/s:\n\n| mode | zdl/kafka into noop (3/2) | zdl into noop / raw (3/1) "
          + "| zdl into zdl-delta / kafka into delta (5/4) |\n|---|---|---|---|\n");
      for (String mode : new String[] {"cold", "warm"}) {
        out.append("| ").append(mode).append(" | ").append(ratio(mode, Workload.ZDL_NOOP, Workload.KAFKA_NOOP))
            .append(" | ").append(ratio(mode, Workload.ZDL_NOOP, Workload.RAW))
            .append(" | ").append(ratio(mode, Workload.ZDL_DELTA, Workload.KAFKA_DELTA)).append(" |\n");
      }
      // a ratio of medians hides how the two moved together; round i's runs ran side by side
      out.append("\nRatios per round (run i of one workload against run i of the other), median (min..max):\n\n")
          .append("| mode | 3/2 | 3/1 | 5/4 |\n|---|---|---|---|\n");
      for (String mode : new String[] {"cold", "warm"}) {
        out.append("| ").append(mode).append(" | ").append(roundRatios(mode, Workload.ZDL_NOOP, Workload.KAFKA_NOOP))
            .append(" | ").append(roundRatios(mode, Workload.ZDL_NOOP, Workload.RAW))
            .append(" | ").append(roundRatios(mode, Workload.ZDL_DELTA, Workload.KAFKA_DELTA)).append(" |\n");
      }
    }

    /** Medians of the CPU time per run, in s per million records read. */
    private String cpuPerMillionRecords(Stats cpu, Stats brokerCpu) {
      if (cpu == null) {
        return "-";
      }
      double perMillion = 1000.0 * count / 1e6;
      return String.format(Locale.ROOT, "%.2f / %s", cpu.median / perMillion,
          brokerCpu == null ? "-" : String.format(Locale.ROOT, "%.2f", brokerCpu.median / perMillion));
    }

    /** records/s of {@code a} over {@code b}, round by round: median (min..max). */
    private String roundRatios(String mode, Workload a, Workload b) {
      List<Map<String, String>> ra = runs.get(mode + ":" + a.name());
      List<Map<String, String>> rb = runs.get(mode + ":" + b.name());
      if (ra == null || rb == null) {
        return "-";
      }
      List<Double> xs = new ArrayList<>();
      for (int i = 0; i < Math.min(ra.size(), rb.size()); i++) {
        // same record count: the ratio of records/s is the inverse ratio of the times
        xs.add(Double.parseDouble(rb.get(i).get("millis")) / Math.max(1, Long.parseLong(ra.get(i).get("millis"))));
      }
      Stats r = new Stats(xs);
      return String.format(Locale.ROOT, "%.2f (%.2f..%.2f)", r.median, r.min, r.max);
    }

    private String ratio(String mode, Workload a, Workload b) {
      String ka = mode + ":" + a.name();
      String kb = mode + ":" + b.name();
      if (!runs.containsKey(ka) || !runs.containsKey(kb)) {
        return "-";
      }
      return String.format(Locale.ROOT, "%.2f", recordsPerSecond(ka).median / recordsPerSecond(kb).median);
    }
  }
}
