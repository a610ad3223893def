package io.zdl.it.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a campaign's results as project-docs/reliability.md: the tables, each target's commit and seed, how
 * to replay it. The whole campaign takes longer than one sitting can spare, so a run of some targets
 * ({@code zdl.chaos.targets}) replaces their rows and keeps the other targets' rows from the report already
 * there, each row naming the commit it tested and when.
 */
final class ReliabilityReport {
  static final String RUNS_HEADER = "| target | commit | finished at | campaign seed "
      + "| campaign size (driver kills / broker restarts / checkpoint losses over all targets) | replay |";
  static final String RESULTS_HEADER = "| target | seed | driver kills | executor kills | broker restarts "
      + "| checkpoint losses | maxOffsetsPerTrigger changes | pipeline runs | runs that failed | produced (committed) "
      + "| aborted | in table | missing | duplicated | unexpected | corrupt | run time |";
  static final String STATEFUL_HEADER = "| target | tables written | restarts refused (`ZDL_SINK_STATEFUL_OVERLAP`) "
      + "| produced (committed) | in tables | missing | duplicated | unexpected | corrupt |";
  /** The full campaign's size as the runs table writes it: driver kills / broker restarts / checkpoint losses. */
  static final String FULL_SIZE = "200 / 20 / 10";
  private static final String FAILURE_MARK = ", a run that ended before its kill: ";
  /** The cells of a results row that are counts, summed in the last row; the first two are target and seed. */
  private static final int FIRST_COUNT = 2;
  private static final int COUNTS = 14;

  private ReliabilityReport() {}

  /** One target's lines in the report, kept verbatim when another run leaves the target out. */
  record TargetRows(String target, String run, String results, String stateful, List<String> failures) {}

  /** The commit the campaign built and tested, so a report never outlives the code it speaks for unnoticed. */
  static String gitCommit() {
    try {
      Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor() == 0 && out.matches("[0-9a-f]{7,40}") ? "`" + out + "`" : "(unknown: not a git checkout)";
    } catch (IOException e) {
      return "(unknown: no git)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(unknown)";
    }
  }

  static void write(Path file, ChaosSettings settings, List<ChaosResult> results) {
    write(file, settings, results, gitCommit(), Instant.now().truncatedTo(ChronoUnit.SECONDS));
  }

  static void write(Path file, ChaosSettings settings, List<ChaosResult> results, String commit, Instant now) {
    Map<String, TargetRows> before = Files.exists(file) ? readRows(read(file)) : Map.of();
    Map<String, TargetRows> rows = new LinkedHashMap<>();
    for (String target : ChaosSettings.ALL_TARGETS) {
      TargetRows kept = before.get(target);
      ChaosResult fresh = results.stream().filter(r -> r.target().equals(target)).findFirst().orElse(null);
      if (fresh != null) {
        rows.put(target, rowsOf(fresh, settings, commit, now));
      } else if (kept != null) {
        rows.put(target, kept);
      }
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, render(rows, now), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Each target's lines in a report this class wrote. A target without a row in the runs table (a report from
   * before rows named their commit) has nothing to keep: its figures could not say which code they tested.
   */
  static Map<String, TargetRows> readRows(String report) {
    Map<String, String> runs = new LinkedHashMap<>();
    Map<String, String> results = new LinkedHashMap<>();
    Map<String, String> stateful = new LinkedHashMap<>();
    Map<String, List<String>> failures = new LinkedHashMap<>();
    Map<String, String> table = null;
    for (String line : report.split("\n", -1)) {
      if (line.equals(RUNS_HEADER)) {
        table = runs;
      } else if (line.equals(RESULTS_HEADER)) {
        table = results;
      } else if (line.equals(STATEFUL_HEADER)) {
        table = stateful;
      } else if (!line.startsWith("|")) {
        table = null;
        String target = failureTarget(line);
        if (target != null) {
          failures.computeIfAbsent(target, t -> new ArrayList<>()).add(line);
        }
      } else if (table != null) {
        String target = firstCell(line);
        if (ChaosSettings.ALL_TARGETS.contains(target)) {
          table.put(target, line);
        }
      }
    }
    Map<String, TargetRows> rows = new LinkedHashMap<>();
    runs.forEach((target, run) -> {
      if (results.containsKey(target)) {
        rows.put(target, new TargetRows(target, run, results.get(target), stateful.get(target),
            failures.getOrDefault(target, List.of())));
      }
    });
    return rows;
  }

  private static String failureTarget(String line) {
    int mark = line.indexOf(FAILURE_MARK);
    if (!line.startsWith("- ") || mark < 0) {
      return null;
    }
    String target = line.substring(2, mark);
    return ChaosSettings.ALL_TARGETS.contains(target) ? target : null;
  }

  private static List<String> cells(String row) {
    String inner = row.substring(1, row.lastIndexOf('|'));
    List<String> cells = new ArrayList<>();
    for (String cell : inner.split("\\|", -1)) {
      cells.add(cell.trim());
    }
    return cells;
  }

  private static String firstCell(String row) {
    return cells(row).get(0);
  }

  static TargetRows rowsOf(ChaosResult r, ChaosSettings settings, String commit, Instant now) {
    String size = settings.longCampaign()
        ? settings.kills() + " / " + settings.brokerRestarts() + " / " + settings.checkpointLosses()
        : "short";
    String run = "| " + r.target() + " | " + commit + " | " + now + " | " + settings.seed() + " | " + size + " | `"
        + command(settings.onlyTarget(r.target())) + "` |";
    Reconciliation c = r.reconciliation();
    long[] counts = {r.kills(), r.executorKills(), r.brokerRestarts(), r.checkpointLosses(), r.maxOffsetsChanges(),
        r.pipelineRuns(), r.pipelineFailures().size(), c.produced(), c.aborted(), c.rowsInTable(), c.missing(),
        c.duplicated(), c.unexpected(), c.corrupt()};
    StringBuilder results = new StringBuilder("| ").append(r.target()).append(" | ").append(r.seed());
    for (long n : counts) {
      results.append(" | ").append(n);
    }
    results.append(" | ").append(r.runTime().toMinutes()).append(" min |");
    String stateful = null;
    if (r.stateful() != null) {
      Reconciliation d = r.stateful().reconciliation();
      stateful = "| " + r.target() + " | " + r.stateful().tables() + " | " + r.stateful().refusals() + " | "
          + d.produced() + " | " + d.rowsInTable() + " | " + d.missing() + " | " + d.duplicated() + " | "
          + d.unexpected() + " | " + d.corrupt() + " |";
    }
    List<String> failures = r.pipelineFailures().stream().map(f -> "- " + r.target() + FAILURE_MARK + f).toList();
    return new TargetRows(r.target(), run, results.toString(), stateful, failures);
  }

  private static String render(Map<String, TargetRows> rows, Instant now) {
    StringBuilder md = new StringBuilder();
    md.append("# Reliability: the fault campaign\n\n")
        .append("Written by `ChaosCampaignIT` (src-test, package `io.zdl.it.chaos`), last at ").append(now)
        .append(". Do not edit by hand: rerun it. Each target's row names the commit it tested; a run of some\n")
        .append("targets (`-Dzdl.chaos.targets=...`) replaces their rows and keeps the others'.\n\n")
        .append("The pipeline under test, `zdl-kafka` into `zdl-delta` with `maxOffsetsPerTrigger`, runs in its own\n")
        .append("JVM. A controller SIGKILLs it at random moments and restarts it, SIGKILLs and restarts the Kafka\n")
        .append("broker while it runs, deletes its checkpoint (the next run resumes with `startingOffsetsFromTable`;\n")
        .append("at the first loss a partition quiet until then starts getting records, at each later one the topic\n")
        .append("grows a partition while the pipeline is down),\n")
        .append("and changes `maxOffsetsPerTrigger` between runs. A transactional producer writes records with\n")
        .append("unique ids (some keys null, some headers with null values, sizes from 16 bytes to about 1 MB);\n")
        .append("some transactions abort, and the pipeline reads with `kafka.isolation.level=read_committed`,\n")
        .append("`failOnDataLoss=true`. At the end the table is reconciled, row by row and field by field, with\n")
        .append("every committed record.\n\n")
        .append("Beside it, in the same JVM and so under the same kills and broker restarts, runs a stateful\n")
        .append("pipeline on the same topic: `dropDuplicates` on the record id and the Kafka timestamp under a\n")
        .append("watermark, in append mode, into its own `zdl-delta` table. Its state lives in its checkpoint, so a\n")
        .append("checkpoint loss goes as [guarantees.md](guarantees.md#stateful-queries) says: the same query restarted\n")
        .append("on a new checkpoint against its table must be refused with `ZDL_SINK_STATEFUL_OVERLAP` without\n")
        .append("writing (asserted), and the pipeline goes on into a new table from the old table's positions\n")
        .append("(`startingOffsetsFromTable`), as the runbook says. Its tables together must hold every committed\n")
        .append("record once. See [testing.md](testing.md#the-fault-campaign).\n\n")
        .append("The full campaign: 200 driver kills, 20 broker restarts, 10 checkpoint losses over the four targets\n")
        .append("(40 % on local disk, 20 % each on HDFS, S3 and the standalone cluster); each target's schedule\n")
        .append("depends only on the campaign seed and the campaign size, not on which targets ran beside it.\n\n");
    List<String> notRun = ChaosSettings.ALL_TARGETS.stream().filter(t -> !rows.containsKey(t)).toList();
    List<String> reduced = rows.values().stream()
        .filter(t -> !cells(t.run()).get(4).equals(FULL_SIZE)).map(TargetRows::target)
        .toList();
    if (!notRun.isEmpty() || !reduced.isEmpty()) {
      md.append("**This is not yet the full campaign**:")
          .append(notRun.isEmpty() ? "" : " not run yet: " + String.join(", ", notRun) + ";")
          .append(reduced.isEmpty() ? "" : " run smaller than the full size: " + String.join(", ", reduced) + ";")
          .append(" it shows the campaign works, not yet the full claim.\n\n");
    }
    md.append("## Runs\n\n").append(RUNS_HEADER).append('\n').append(separator(RUNS_HEADER, 0)).append('\n');
    rows.values().forEach(t -> md.append(t.run()).append('\n'));
    md.append("\nEach target's seed below is drawn from its campaign seed and its name. A replay repeats the schedule\n")
        .append("and the records; only where each kill lands in the pipeline's progress depends on the machine's speed.\n\n")
        .append("## The plain pipeline\n\n").append(RESULTS_HEADER).append('\n')
        .append(separator(RESULTS_HEADER, FIRST_COUNT)).append('\n');
    long[] total = new long[COUNTS];
    for (TargetRows t : rows.values()) {
      md.append(t.results()).append('\n');
      List<String> cells = cells(t.results());
      for (int i = 0; i < COUNTS; i++) {
        total[i] += Long.parseLong(cells.get(FIRST_COUNT + i));
      }
    }
    md.append("| **all** |");
    for (long n : total) {
      md.append(" | **").append(n).append("**");
    }
    md.append(" | |\n\n");
    List<TargetRows> stateful = rows.values().stream().filter(t -> t.stateful() != null).toList();
    if (!stateful.isEmpty()) {
      md.append("## The stateful pipeline\n\n")
          .append("`dropDuplicates` with a watermark, reconciled over all its tables:\n\n")
          .append(STATEFUL_HEADER).append('\n').append(separator(STATEFUL_HEADER, 1)).append('\n');
      stateful.forEach(t -> md.append(t.stateful()).append('\n'));
      md.append('\n');
    }
    List<String> failures = rows.values().stream().flatMap(t -> t.failures().stream()).toList();
    if (!failures.isEmpty()) {
      md.append("Runs that ended before their kill:\n\n");
      failures.forEach(f -> md.append(f).append('\n'));
      md.append('\n');
    }
    return md.toString();
  }

  /** A table's separator line: the first {@code text} columns left-aligned, the rest (counts) right-aligned. */
  private static String separator(String header, int text) {
    int columns = cells(header).size();
    StringBuilder s = new StringBuilder("|");
    for (int i = 0; i < columns; i++) {
      s.append(i < text || text == 0 ? " --- |" : " ---: |");
    }
    return s.toString();
  }

  /** The command that replays {@code s}: the chaos profile for a long campaign, the test alone for a short one. */
  static String command(ChaosSettings s) {
    StringBuilder c = new StringBuilder("mvn -B -ntp ");
    if (s.longCampaign()) {
      // -Dtest: the campaign only, not the connector's unit tests on the way
      c.append("-Pchaos -pl connector,src-test -am verify -Dtest=ChaosCampaignIT -Dsurefire.failIfNoSpecifiedTests=false")
          .append(" -Dzdl.chaos.seed=").append(s.seed())
          .append(" -Dzdl.chaos.kills=").append(s.kills()).append(" -Dzdl.chaos.brokerRestarts=")
          .append(s.brokerRestarts()).append(" -Dzdl.chaos.checkpointLosses=").append(s.checkpointLosses());
    } else {
      c.append("-pl connector,src-test -am verify -Dtest=ChaosCampaignIT -Dsurefire.failIfNoSpecifiedTests=false")
          .append(" -Dzdl.chaos.seed=").append(s.seed());
    }
    if (!s.targets().equals(s.longCampaign() ? ChaosSettings.ALL_TARGETS : ChaosSettings.ALL_TARGETS.subList(0, 3))) {
      c.append(" -Dzdl.chaos.targets=").append(String.join(",", s.targets()));
    }
    if (!s.statefulTargets().equals(s.longCampaign() ? ChaosSettings.ALL_TARGETS : List.of("local"))) {
      c.append(" -Dzdl.chaos.stateful=").append(String.join(",", s.statefulTargets()));
    }
    return c.toString();
  }
}
