package io.zdl.it.fault;

import static io.zdl.it.support.Queries.eventually;
import static io.zdl.it.support.Queries.newDir;
import static io.zdl.it.support.Queries.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.support.TestRecords;
import io.zdl.it.support.TestRecords.Produced;
import io.zdl.it.support.ZdlTables;
import io.zdl.spark.delta.CommitSummary;
import io.zdl.spark.fault.CrashPoint;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.pipeline.PipelineProcess;
import io.zdl.test.spark.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The pipeline runs in its own JVM and dies at chosen instants (a crash point halts the JVM like
 * SIGKILL) or by SIGKILL at an arbitrary moment; after a restart the table must hold every
 * produced record exactly once, and its history no batch twice.
 */
class CrashRecoveryIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(4);

  private final SparkSession spark = SparkTestSession.get();

  /** One pipeline's folders and arguments. */
  private record Pipeline(String topic, Path dir) {
    Path table() {
      return dir.resolve("table");
    }

    Path checkpoint() {
      return dir.resolve("checkpoint");
    }

    PipelineProcess start(String label, Map<String, String> props, String... extra) {
      List<String> args = new ArrayList<>(List.of("bootstrap=" + KAFKA.broker().bootstrapServers(), "topic=" + topic,
          "table=" + table(), "checkpoint=" + checkpoint(), "workDir=" + dir.resolve("work")));
      args.addAll(List.of(extra));
      return PipelineProcess.start(dir.resolve(label + ".log"), props, args);
    }

    /** Runs to the end (AvailableNow) and asserts a clean exit. */
    void runToEnd(String label) {
      try (PipelineProcess p = start(label, Map.of())) {
        int exit = p.waitFor(RUN_TIMEOUT);
        assertEquals(0, exit, () -> label + " failed:\n" + p.logTail());
      }
    }
  }

  private Pipeline pipelineWith(List<Produced> produced, int records) {
    String topic = unique("crash");
    KAFKA.broker().createTopic(topic, 3);
    produced.addAll(TestRecords.produce(KAFKA.broker(), topic, 3, 0, records));
    return new Pipeline(topic, newDir("pipeline"));
  }

  private void crashAt(Pipeline pipeline, String point) {
    // one log per crash: a pipeline may crash several times
    try (PipelineProcess p = pipeline.start("crash-" + point.replace(':', '-'), Map.of(CrashPoint.PROPERTY, point))) {
      int exit = p.waitFor(RUN_TIMEOUT);
      assertEquals(CrashPoint.EXIT_CODE, exit, () -> "expected a crash at " + point + ":\n" + p.logTail());
    }
  }

  private List<CommitSummary> zdlCommits(Path table) {
    // the first commit file, not the folder (created earlier) nor DeltaTable.isDeltaTable (may answer from a cache)
    if (!Files.exists(table.resolve("_delta_log").resolve("00000000000000000000.json"))) {
      return new ArrayList<>();
    }
    return ZdlTables.zdlCommits(spark, table.toString());
  }

  private List<Long> batchIds(Pipeline pipeline) {
    return zdlCommits(pipeline.table()).stream().map(CommitSummary::batchId).toList();
  }

  /** Exactly the produced records, and each offset committed by exactly one commit. */
  private void assertExactlyOnce(Pipeline pipeline, List<Produced> produced) {
    List<String> rows = TestRecords.canonicalRows(
        spark.read().format("delta").load(pipeline.table().toString()).collectAsList());
    assertEquals(TestRecords.canonical(produced, true), rows);
    assertEquals(produced.size(), ZdlTables.addedOffsets(zdlCommits(pipeline.table())),
        "no range may be committed twice");
  }

  /**
   * One pipeline dies at each crash point in turn, each restart replaying what the crash left: before
   * batch 2's Delta commit, after batch 2's (replayed) Delta commit, and while tasks read. One pipeline
   * instead of three saves two JVM runs in the default suite; every state between the crashes is asserted.
   */
  @Test
  void crashesBeforeAndAfterTheDeltaCommitAndWhileTasksReadLoseAndDuplicateNothing() {
    List<Produced> produced = new ArrayList<>();
    Pipeline pipeline = pipelineWith(produced, 200); // 40 records a batch: batches 0 to 4

    crashAt(pipeline, CrashPoint.BEFORE_DELTA_COMMIT + ":2");
    assertEquals(List.of(0L, 1L), batchIds(pipeline), "batches 0 and 1 were committed before the crash");

    crashAt(pipeline, CrashPoint.AFTER_DELTA_COMMIT + ":2");
    assertEquals(List.of(0L, 1L, 2L), batchIds(pipeline), "the replayed batch 2 is in the table");
    assertTrue(Files.exists(pipeline.checkpoint().resolve("offsets").resolve("2")));
    assertFalse(Files.exists(pipeline.checkpoint().resolve("commits").resolve("2")), "Spark never committed batch 2");

    // the 20th record this JVM reads: in batch 3, or in batch 2 if its replay reads again
    crashAt(pipeline, CrashPoint.WHILE_READING + ":20");
    assertEquals(List.of(0L, 1L, 2L), batchIds(pipeline), "no batch committed while reading");

    pipeline.runToEnd("restart");
    assertExactlyOnce(pipeline, produced);
    assertEquals(List.of(0L, 1L, 2L, 3L, 4L), batchIds(pipeline), "each batch committed once: replays added none");
  }

  @Test
  void aFailedTaskRetriedByTheSameDriverDuplicatesNothing() throws Exception {
    List<Produced> produced = new ArrayList<>();
    Pipeline pipeline = pipelineWith(produced, 200);
    // local[2,4]: a failed task is retried up to 4 times; the first attempt of the task reading the
    // 100th record (batch 2) fails after writing part of its rows
    try (PipelineProcess p = pipeline.start("retry", Map.of(CrashPoint.PROPERTY,
        CrashPoint.FAIL_TASK_WHILE_READING + ":100"), "master=local[2,4]")) {
      assertEquals(0, p.waitFor(RUN_TIMEOUT), p::logTail);
    }
    assertTrue(Files.readString(pipeline.dir().resolve("retry.log")).contains("injected task failure"),
        "a task attempt must have failed and been retried");
    assertExactlyOnce(pipeline, produced);
  }

  @Test
  void sigkillMidStreamThenRestartWithMoreRecordsIsExactlyOnce() {
    List<Produced> produced = new ArrayList<>();
    Pipeline pipeline = pipelineWith(produced, 160); // 40 records a batch: killed after 2 of 4 batches or later
    try (PipelineProcess p = pipeline.start("streaming", Map.of(), "trigger=processingTime")) {
      eventually(240, "two batches in the table", () -> {
        assertTrue(p.isAlive(), () -> "pipeline died:\n" + p.logTail());
        return zdlCommits(pipeline.table()).size() >= 2;
      });
      p.kill();
    }
    produced.addAll(TestRecords.produce(KAFKA.broker(), pipeline.topic(), 3, 160, 40));
    pipeline.runToEnd("restart");
    assertExactlyOnce(pipeline, produced);
  }

  @Test
  void lostCheckpointAfterACrashResumesFromTheTable() throws Exception {
    List<Produced> produced = new ArrayList<>();
    Pipeline pipeline = pipelineWith(produced, 200);
    crashAt(pipeline, CrashPoint.AFTER_DELTA_COMMIT + ":1");
    try (var files = Files.walk(pipeline.checkpoint())) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    produced.addAll(TestRecords.produce(KAFKA.broker(), pipeline.topic(), 3, 200, 40));
    try (PipelineProcess p = pipeline.start("resume", Map.of(), "resumeFromTable=true")) {
      assertEquals(0, p.waitFor(RUN_TIMEOUT), p::logTail);
    }
    assertExactlyOnce(pipeline, produced);
  }
}
