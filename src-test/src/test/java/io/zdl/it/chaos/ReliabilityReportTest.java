package io.zdl.it.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run of some targets replaces their rows in reliability.md and keeps the other targets' rows as they were. */
class ReliabilityReportTest {
  private static final ChaosSettings FULL = new ChaosSettings(2026120301L, true, 200, 20, 10,
      ChaosSettings.ALL_TARGETS, ChaosSettings.ALL_TARGETS, null);
  private static final Instant FIRST = Instant.parse("2026-12-02T10:00:00Z");
  private static final Instant SECOND = Instant.parse("2026-12-03T10:00:00Z");

  @TempDir
  Path dir;

  @Test
  void aRunOfSomeTargetsKeepsTheOtherTargetsRowsWithTheirOwnCommitAndSumsAllRows() throws IOException {
    Path report = dir.resolve("reliability.md");
    ReliabilityReport.write(report, FULL.onlyTarget("local"), List.of(result("local", 100, 3)), "`aaaaaaa`", FIRST);
    String first = Files.readString(report, StandardCharsets.UTF_8);
    assertTrue(first.contains("not run yet: hdfs, s3, standalone"), first);

    ChaosSettings later = new ChaosSettings(7L, true, 200, 20, 10, List.of("hdfs", "standalone"),
        ChaosSettings.ALL_TARGETS, null);
    ReliabilityReport.write(report, later, List.of(result("hdfs", 40, 0), result("standalone", 50, 1)),
        "`bbbbbbb`", SECOND);
    String second = Files.readString(report, StandardCharsets.UTF_8);
    Files.writeString(Path.of("/tmp/rel-sample.md"), second);
    Map<String, ReliabilityReport.TargetRows> rows = ReliabilityReport.readRows(second);

    assertEquals(List.of("local", "hdfs", "standalone"), List.copyOf(rows.keySet()));
    assertEquals(ReliabilityReport.readRows(first).get("local"), rows.get("local"), "local's lines kept verbatim");
    assertTrue(rows.get("local").run().contains("`aaaaaaa` | 2026-12-02T10:00:00Z | 2026120301"), second);
    assertTrue(rows.get("hdfs").run().contains("`bbbbbbb` | 2026-12-03T10:00:00Z | 7"), second);
    assertTrue(rows.get("hdfs").run().contains("-Dzdl.chaos.seed=7 ") && rows.get("hdfs").run()
        .contains("-Dzdl.chaos.targets=hdfs`"), "the replay runs hdfs alone: " + rows.get("hdfs").run());
    assertTrue(second.contains("not run yet: s3;"), second);
    // produced (committed) over the three rows: 100 + 40 + 50
    assertTrue(second.contains("| **190** | **0** | **190** |"), second);
    assertEquals(3, rows.get("local").failures().size(), "local's failures kept: " + second);
    assertEquals(List.of("- standalone, a run that ended before its kill: run 0 exited 1"),
        rows.get("standalone").failures());
  }

  @Test
  void aRerunOfATargetReplacesItsRowsAndAReducedRunIsFlagged() throws IOException {
    Path report = dir.resolve("reliability.md");
    ReliabilityReport.write(report, FULL, List.of(result("local", 100, 2), result("hdfs", 40, 0),
        result("s3", 40, 0), result("standalone", 40, 0)), "`aaaaaaa`", FIRST);
    String full = Files.readString(report, StandardCharsets.UTF_8);
    assertFalse(full.contains("not yet the full campaign"), full);

    ChaosSettings small = new ChaosSettings(8L, true, 20, 2, 1, List.of("local"), ChaosSettings.ALL_TARGETS, null);
    ReliabilityReport.write(report, small, List.of(result("local", 10, 0)), "`ccccccc`", SECOND);
    String after = Files.readString(report, StandardCharsets.UTF_8);
    Map<String, ReliabilityReport.TargetRows> rows = ReliabilityReport.readRows(after);
    assertTrue(rows.get("local").run().contains("`ccccccc`") && rows.get("local").failures().isEmpty(), after);
    assertTrue(after.contains("run smaller than the full size: local;"), after);
    assertEquals(ReliabilityReport.readRows(full).get("s3"), rows.get("s3"));
  }

  @Test
  void aReportWhoseRowsNameNoCommitKeepsNothing() throws IOException {
    Path report = dir.resolve("reliability.md");
    Files.writeString(report, "# Reliability\n\n" + ReliabilityReport.RESULTS_HEADER + "\n| --- |\n"
        + "| hdfs | 1 | 40 | 0 | 4 | 2 | 9 | 41 | 0 | 4027 | 882 | 4027 | 0 | 0 | 0 | 0 | 18 min |\n");
    assertTrue(ReliabilityReport.readRows(Files.readString(report)).isEmpty());
    ReliabilityReport.write(report, FULL.onlyTarget("s3"), List.of(result("s3", 30, 0)), "`ddddddd`", SECOND);
    assertEquals(List.of("s3"), List.copyOf(ReliabilityReport.readRows(Files.readString(report)).keySet()));
  }

  private static ChaosResult result(String target, long produced, int failures) {
    ChaosSchedule.Sizes sizes = FULL.sizesFor(target);
    List<String> failed = java.util.stream.IntStream.range(0, failures).mapToObj(i -> "run " + i + " exited 1").toList();
    Reconciliation exact = new Reconciliation(produced, 0, produced, 0, 0, 0, 0, "");
    return new ChaosResult(target, FULL.seedFor(target), sizes, sizes.kills() + 1, sizes.kills() - failures,
        target.equals(ChaosSettings.STANDALONE) ? sizes.kills() : 0, sizes.brokerRestarts(),
        sizes.checkpointLosses(), 3, failed, exact, new ChaosResult.Stateful(2, 1, exact), Duration.ofMinutes(20));
  }
}
