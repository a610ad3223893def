package io.zdl.it.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Writes a campaign's results as project-docs/reliability.md: the table, the seed, how to replay it. */
final class ReliabilityReport {
  private ReliabilityReport() {}

  /** The commit the campaign built and tested, so a report never outlives the code it speaks for unnoticed. */
  static String gitCommit() {
    try {
      Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
      return p.waitFor() == 0 && out.matches("[0-9a-f]{7,40}") ? "`" + out + "`" : "(unknown: not a git checkout)";
    } catch (java.io.IOException e) {
      return "(unknown: no git)";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(unknown)";
    }
  }

  static void write(Path file, ChaosSettings settings, List<ChaosResult> results) {
    StringBuilder md = new StringBuilder();
    md.append("# Reliability: the fault campaign\n\n")
        .append("Written by `ChaosCampaignIT` (src-test, package `io.zdl.it.chaos`) at ")
        .append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(", testing commit ").append(gitCommit())
        .append(". Do not edit by hand: rerun it.\n\n")
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
        .append("record once. See [testing.md](testing.md#the-fault-campaign).\n\n");
    md.append("Requested: ").append(settings.longCampaign()
        ? settings.kills() + " driver kills, " + settings.brokerRestarts() + " broker restarts, "
            + settings.checkpointLosses() + " checkpoint losses over all targets"
        : "the short campaign of the default suite").append("; targets ").append(settings.targets())
        .append(".\n\n");
    if (!settings.longCampaign() || settings.kills() < 200 || settings.brokerRestarts() < 20
        || settings.checkpointLosses() < 10) {
      md.append("**This is a reduced run**, smaller than the full campaign (200 driver kills, 20 broker restarts,\n")
          .append("10 checkpoint losses): it shows the campaign works, not yet the full claim.\n\n");
    }
    md.append("| target | seed | driver kills | executor kills | broker restarts | checkpoint losses | maxOffsetsPerTrigger changes "
        + "| pipeline runs | runs that failed | produced (committed) | aborted | in table | missing | duplicated "
        + "| unexpected | corrupt | run time |\n");
    md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        + "| ---: |\n");
    long[] total = new long[14];
    for (ChaosResult r : results) {
      Reconciliation c = r.reconciliation();
      long[] row = {r.kills(), r.executorKills(), r.brokerRestarts(), r.checkpointLosses(), r.maxOffsetsChanges(), r.pipelineRuns(),
          r.pipelineFailures().size(), c.produced(), c.aborted(), c.rowsInTable(), c.missing(), c.duplicated(),
          c.unexpected(), c.corrupt()};
      md.append("| ").append(r.target()).append(" | ").append(r.seed());
      for (int i = 0; i < row.length; i++) {
        md.append(" | ").append(row[i]);
        total[i] += row[i];
      }
      md.append(" | ").append(r.runTime().toMinutes()).append(" min |\n");
    }
    md.append("| **all** | ").append(settings.seed());
    for (long t : total) {
      md.append(" | **").append(t).append("**");
    }
    md.append(" | |\n\n");
    List<ChaosResult> stateful = results.stream().filter(r -> r.stateful() != null).toList();
    if (!stateful.isEmpty()) {
      md.append("The stateful pipeline (`dropDuplicates` with a watermark), reconciled over all its tables:\n\n")
          .append("| target | tables written | restarts refused (`ZDL_SINK_STATEFUL_OVERLAP`) | produced (committed) "
              + "| in tables | missing | duplicated | unexpected | corrupt |\n")
          .append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
      for (ChaosResult r : stateful) {
        Reconciliation c = r.stateful().reconciliation();
        md.append("| ").append(r.target()).append(" | ").append(r.stateful().tables()).append(" | ")
            .append(r.stateful().refusals()).append(" | ").append(c.produced()).append(" | ").append(c.rowsInTable())
            .append(" | ").append(c.missing()).append(" | ").append(c.duplicated()).append(" | ")
            .append(c.unexpected()).append(" | ").append(c.corrupt()).append(" |\n");
      }
      md.append('\n');
    }
    for (ChaosResult r : results) {
      r.pipelineFailures().forEach(f -> md.append("- ").append(r.target()).append(", a run that ended before its kill: ")
          .append(f).append('\n'));
    }
    md.append('\n');
    md.append("Each target's seed is drawn from the campaign seed ").append(settings.seed())
        .append(". To replay this campaign (same schedule, same records; only where each kill lands in the\n")
        .append("pipeline's progress depends on the machine's speed):\n\n```bash\n")
        .append(command(settings)).append("\n```\n");
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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
