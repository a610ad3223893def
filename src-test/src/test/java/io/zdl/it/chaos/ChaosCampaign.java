package io.zdl.it.chaos;

import io.zdl.test.kafka.KafkaBroker;
import io.zdl.test.pipeline.PipelineProcess;
import io.zdl.test.process.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;

/**
 * The controller: runs a {@link ChaosSchedule} against the pipeline (zdl-kafka into zdl-delta in its
 * own JVM, {@link ChaosPipelineMain}; with {@code stateful}, a dropDuplicates query beside it in the same
 * JVM) and reconciles the tables with what was produced. One thing at a time, on one thread:
 * produce a chunk, restart the broker, SIGKILL the pipeline, lose the checkpoints.
 */
final class ChaosCampaign {
  static final int PARTITIONS = 4;
  /**
   * A drain reads the backlog of every round before it at the last round's maxOffsetsPerTrigger: with 8 that was
   * some 700 batches and 26 minutes (seed 2026120201, local). So a drain fails when the table stops growing for
   * {@code DRAIN_STALL} (a batch takes about a second), and in any case after {@code DRAIN_CAP}.
   */
  private static final Duration DRAIN_STALL = Duration.ofMinutes(5);
  private static final Duration DRAIN_CAP = Duration.ofHours(2);
  private static final Duration DRAIN_POLL = Duration.ofSeconds(20);
  private static final Duration FIRST_COMMIT_TIMEOUT = Duration.ofMinutes(5);

  private final KafkaBroker broker;
  private final ChaosTarget target;
  private final ChaosSchedule schedule;
  private final Path logDir;
  private final SparkSession spark;
  /** Null: the plain pipeline only. */
  private final StatefulPipeline stateful;

  ChaosCampaign(KafkaBroker broker, ChaosTarget target, ChaosSchedule schedule, Path logDir, SparkSession spark,
      boolean withStateful) {
    this.stateful = withStateful ? new StatefulPipeline(target) : null;
    this.broker = broker;
    this.target = target;
    this.schedule = schedule;
    this.logDir = logDir;
    this.spark = spark;
  }

  ChaosResult run() {
    long t0 = System.nanoTime();
    say("target " + target.name() + " at " + target.root() + (stateful == null ? "" : ", with the stateful pipeline")
        + "; schedule:\n" + schedule.describe());
    String topic = "chaos-" + target.name() + "-" + Long.toHexString(schedule.seed()) + "-"
        + Long.toHexString(System.nanoTime() & 0xffffff);
    // one partition more than the producer writes to: it stays quiet until the first checkpoint loss
    broker.createTopic(topic, PARTITIONS + 1);
    ChaosRecords records = new ChaosRecords(schedule.seed(), schedule.sizes().largeEvery());
    ChaosProducer producer = new ChaosProducer(broker, topic, PARTITIONS, records, true);
    int kills = 0;
    int brokerRestarts = 0;
    int checkpointLosses = 0;
    int executorKills = 0;
    List<String> failures = new ArrayList<>();
    boolean resumeFromTable = false;
    for (ChaosSchedule.Round round : schedule.rounds()) {
      if (round.checkpointLoss()) {
        target.deleteCheckpoint(spark);
        checkpointLosses++;
        resumeFromTable = true; // from now on: a run that dies before its first offset log entry loses it again
        wakeOrAddPartition(topic, producer);
      }
      say(round.toString());
      if (round.drain()) {
        round.events().forEach(e -> producer.produce(e.chunk()));
        afterCheckpointLoss(round, topic);
        drain(topic, round, resumeFromTable);
        continue;
      }
      // the round's first chunk goes in before the pipeline starts, so its run has records to commit
      List<ChaosSchedule.Event> events = new ArrayList<>(round.events());
      producer.produce(events.remove(0).chunk());
      afterCheckpointLoss(round, topic);
      int commitsBefore = target.commits(spark);
      try (PipelineProcess p = start(topic, round, resumeFromTable, false)) {
        // event times count from this run's first commit: JVM start and warm-up take from 15 s to minutes
        // with the machine's load, and a kill before any progress would test little
        long anchor = awaitFirstCommit(p, commitsBefore);
        for (ChaosSchedule.Event e : events) {
          sleepUntil(anchor, e.atMs());
          switch (e.kind()) {
            case PRODUCE -> producer.produce(e.chunk());
            case BROKER_RESTART -> {
              broker.restart();
              brokerRestarts++;
            }
            case KILL_EXECUTOR -> {
              if (target.cluster().killExecutor(executorKills + round.index()).isPresent()) {
                executorKills++;
              }
            }
            case KILL_DRIVER -> {
              if (p.isAlive()) {
                p.kill();
                kills++;
              } else {
                int exit = p.waitFor(Duration.ofSeconds(10));
                String why = "round " + round.index() + ": pipeline exited with " + exit + " before its kill: "
                    + firstError(round).orElse("(no error line)");
                failures.add(why);
                say(why);
              }
            }
          }
        }
      }
    }
    Reconciliation rec = Reconciliation.of(spark, target.table(), records, producer.committed(), producer.aborted());
    ChaosResult.Stateful st = null;
    if (stateful != null) {
      List<String> written = stateful.tables().stream().filter(t -> ChaosTarget.commits(spark, t) > 0).toList();
      st = new ChaosResult.Stateful(written.size(), stateful.refusals(),
          Reconciliation.of(spark, written, records, producer.committed(), producer.aborted()));
    }
    ChaosResult result = new ChaosResult(target.name(), schedule.seed(), schedule.sizes(), schedule.rounds().size(),
        kills, executorKills, brokerRestarts, checkpointLosses, schedule.maxOffsetsChanges(), failures, rec, st,
        Duration.ofNanos(System.nanoTime() - t0));
    say(result.summary());
    return result;
  }

  /**
   * While the pipeline is down with its checkpoint lost: the quiet partition gets records from now on, or,
   * once it has, the topic grows a partition. The resumed run must read both from their start, though
   * the table may hold no position for them.
   */
  private void wakeOrAddPartition(String topic, ChaosProducer producer) {
    int written = producer.partitions();
    if (written == PARTITIONS) {
      say("partition " + PARTITIONS + ", quiet so far, gets records from now on");
    } else {
      broker.addPartitions(topic, written + 1);
      say("topic grown to " + (written + 1) + " partitions while the pipeline is down");
    }
    producer.writeToPartitions(written + 1);
  }

  /**
   * A round after a checkpoint loss, its first records produced: the stateful query restarted on a new
   * checkpoint is refused as guarantees.md says, and goes on into a new table (see {@link StatefulPipeline}).
   */
  private void afterCheckpointLoss(ChaosSchedule.Round round, String topic) {
    if (round.checkpointLoss() && stateful != null) {
      say(stateful.afterCheckpointLoss(spark, Map.of("kafka.bootstrap.servers", broker.bootstrapServers(),
          "subscribe", topic, "startingOffsets", "earliest", "includeHeaders", "true",
          "kafka.isolation.level", "read_committed")));
    }
  }

  /** Waits (bounded) until the table has a commit more than {@code before}; returns when, as System.nanoTime. */
  private long awaitFirstCommit(PipelineProcess p, int before) {
    long deadline = System.nanoTime() + FIRST_COMMIT_TIMEOUT.toNanos();
    while (p.isAlive() && System.nanoTime() - deadline < 0 && target.commits(spark) <= before) {
      ChildJvm.sleep(200);
    }
    if (p.isAlive() && target.commits(spark) <= before) {
      say("no commit " + FIRST_COMMIT_TIMEOUT.toSeconds() + " s after the start; the round's events run from now");
    }
    return System.nanoTime();
  }

  private void drain(String topic, ChaosSchedule.Round round, boolean resumeFromTable) {
    try (PipelineProcess p = start(topic, round, resumeFromTable, true)) {
      long cap = System.nanoTime() + DRAIN_CAP.toNanos();
      long lastGrowth = System.nanoTime();
      int commits = allCommits();
      while (p.isAlive()) {
        ChildJvm.sleep(DRAIN_POLL.toMillis());
        int now = allCommits();
        if (now > commits) {
          commits = now;
          lastGrowth = System.nanoTime();
        }
        if (p.isAlive() && (System.nanoTime() - lastGrowth > DRAIN_STALL.toNanos() || System.nanoTime() - cap > 0)) {
          throw new AssertionError("the drain run stopped committing (" + commits + " commits, none for "
              + DRAIN_STALL.toMinutes() + " min) or ran past " + DRAIN_CAP.toMinutes() + " min:\n" + p.logTail());
        }
      }
      int exit = p.waitFor(DRAIN_POLL);
      if (exit != 0) {
        throw new AssertionError("the drain run failed with exit code " + exit + ":\n" + p.logTail());
      }
    }
  }

  /**
   * The commits of the plain table and of every stateful table so far (each checkpoint loss starts a new one): a
   * sum that grows whenever any table the pipeline JVM writes gets a commit.
   */
  private int allCommits() {
    int n = target.commits(spark);
    if (stateful != null) {
      for (String t : stateful.tables()) {
        n += ChaosTarget.commits(spark, t);
      }
    }
    return n;
  }

  private PipelineProcess start(String topic, ChaosSchedule.Round round, boolean resumeFromTable, boolean toEnd) {
    List<String> args = new ArrayList<>(List.of("bootstrap=" + broker.bootstrapServers(), "topic=" + topic,
        "table=" + target.table(), "checkpoint=" + target.checkpoint(),
        "workDir=" + logDir.resolve("work").toAbsolutePath(),
        "maxOffsetsPerTrigger=" + round.maxOffsetsPerTrigger(),
        "trigger=" + (toEnd ? "availableNow" : "processingTime"), "triggerMs=100",
        "resumeFromTable=" + resumeFromTable,
        "source.kafka.isolation.level=read_committed",
        // a broker restart takes ~6 s: the driver's offset lookups outlast it instead of failing the query
        "source.fetchOffset.numRetries=60", "source.fetchOffset.retryIntervalMs=500"));
    target.pipelineSettings().forEach((k, v) -> args.add(k + "=" + v));
    if (stateful != null) {
      args.addAll(stateful.args());
    }
    return PipelineProcess.start(log(round), Map.of(), ChaosPipelineMain.class.getName(), args);
  }

  private Path log(ChaosSchedule.Round round) {
    return logDir.resolve(String.format("round-%04d.log", round.index()));
  }

  /** The first line of a run's log naming a zdl error code or an exception. */
  private Optional<String> firstError(ChaosSchedule.Round round) {
    try {
      return Files.readAllLines(log(round), StandardCharsets.UTF_8).stream()
          .filter(l -> l.contains("[ZDL_") || l.contains("Exception")).findFirst().map(String::trim);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void sleepUntil(long startNanos, long atMs) {
    long waitMs = atMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    if (waitMs > 0) {
      ChildJvm.sleep(waitMs);
    }
  }

  private static void say(String line) {
    System.out.println("[zdl-chaos] " + line);
    System.out.flush();
  }
}
