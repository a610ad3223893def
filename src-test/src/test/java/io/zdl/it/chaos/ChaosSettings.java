package io.zdl.it.chaos;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * A campaign's size and seed, from system properties (Maven passes {@code -D} options through):
 * <ul>
 * <li>{@code zdl.chaos.seed}: replay a campaign; printed by every run. Default: a new random seed.</li>
 * <li>{@code zdl.chaos.kills}: driver kills over all targets (the {@code chaos} profile sets 200);
 * unset: the short campaign of the default suite (a few per target).</li>
 * <li>{@code zdl.chaos.brokerRestarts}, {@code zdl.chaos.checkpointLosses}: over all targets;
 * default a tenth and a twentieth of the kills.</li>
 * <li>{@code zdl.chaos.targets}: a subset of {@code local,hdfs,s3,standalone}; default all four in a long
 * campaign, the first three in a short one.</li>
 * <li>{@code zdl.chaos.stateful}: the targets that also run the stateful pipeline (dropDuplicates, see
 * {@link StatefulPipeline}); default every target in a long campaign, {@code local} in a short one.</li>
 * <li>{@code zdl.chaos.report}: write the summary table there (the profile: project-docs/reliability.md).</li>
 * </ul>
 */
record ChaosSettings(long seed, boolean longCampaign, int kills, int brokerRestarts, int checkpointLosses,
    List<String> targets, List<String> statefulTargets, Path report) {
  /** Local disk with the pipeline on a Spark standalone cluster (master and two workers, separate JVMs). */
  static final String STANDALONE = "standalone";
  static final List<String> ALL_TARGETS = List.of("local", "hdfs", "s3", STANDALONE);
  /** Each target's share of a long campaign's faults, in percent; local disk is the cheapest to run. */
  private static final int[] SHARE = {40, 20, 20, 20};
  /**
   * The short campaign, per target: kills, broker restarts, checkpoint losses. Each run costs a JVM start
   * and Spark's warm-up (15 to 25 s on 2 idle cores): small enough for the default suite's time budget.
   */
  private static final int[][] SHORT = {{2, 1, 1}, {1, 1, 1}, {1, 1, 1}, {2, 0, 1}};

  static ChaosSettings fromSystemProperties() {
    String seedText = System.getProperty("zdl.chaos.seed", "");
    long seed = seedText.isBlank() ? new Random().nextLong() : Long.parseLong(seedText.trim());
    String killsText = System.getProperty("zdl.chaos.kills", "");
    boolean longCampaign = !killsText.isBlank();
    int kills = longCampaign ? Integer.parseInt(killsText.trim()) : 0;
    int restarts = intProperty("zdl.chaos.brokerRestarts", (kills + 9) / 10);
    int losses = intProperty("zdl.chaos.checkpointLosses", (kills + 19) / 20);
    // the standalone cluster costs three more JVMs and minutes: only the long campaign runs it unless asked
    String defaultTargets = String.join(",", longCampaign ? ALL_TARGETS : ALL_TARGETS.subList(0, 3));
    List<String> targets = List.of(System.getProperty("zdl.chaos.targets", defaultTargets).split(","));
    // the stateful query shares the pipeline JVM and costs little, but its refusal check and reconcile do cost:
    // the short campaign runs it on local disk only
    List<String> stateful = List.of(System.getProperty("zdl.chaos.stateful",
        longCampaign ? String.join(",", ALL_TARGETS) : "local").split(","));
    String report = System.getProperty("zdl.chaos.report", "");
    return new ChaosSettings(seed, longCampaign, kills, restarts, losses, targets.stream().map(String::trim).toList(),
        stateful.stream().map(String::trim).filter(t -> !t.isEmpty()).toList(),
        report.isBlank() ? null : Path.of(report));
  }

  /** These settings for {@code target} alone: the same seed and sizes, so the same schedule. */
  ChaosSettings onlyTarget(String target) {
    return new ChaosSettings(seed, longCampaign, kills, brokerRestarts, checkpointLosses, List.of(target),
        statefulTargets, report);
  }

  private static int intProperty(String key, int fallback) {
    String v = System.getProperty(key, "");
    return v.isBlank() ? fallback : Integer.parseInt(v.trim());
  }

  /** Each target gets its own schedule, drawn from the campaign seed and the target's name. */
  long seedFor(String target) {
    return seed * 31 + target.hashCode();
  }

  ChaosSchedule.Sizes sizesFor(String target) {
    int i = ALL_TARGETS.indexOf(target);
    if (!longCampaign) {
      return new ChaosSchedule.Sizes(SHORT[i][0], SHORT[i][1], SHORT[i][2], 500, 8_000, 3, 60, 20, 150,
          executorKills(target));
    }
    int k = share(kills, i);
    // kills land 0.5 to 15 s after a run's first commit: batches take about a second, so a run dies anywhere in
    // its first dozen batches, and 200 rounds (each also paying a JVM start) fit in about an hour and a half
    return new ChaosSchedule.Sizes(k, Math.min(k, share(brokerRestarts, i)), Math.min(k, share(checkpointLosses, i)),
        500, 15_000, 3, 80, 20, 250, executorKills(target));
  }

  /** The multi-JVM target kills one executor JVM in each run, at a random moment before the driver's kill. */
  private static int executorKills(String target) {
    return STANDALONE.equals(target) ? 1 : 0;
  }

  /** Target {@code i}'s share of {@code total}; the shares add up to the total, the rest going to the first. */
  static int share(int total, int i) {
    int[] parts = new int[SHARE.length];
    int given = 0;
    for (int j = 0; j < SHARE.length; j++) {
      parts[j] = total * SHARE[j] / 100;
      given += parts[j];
    }
    for (int j = 0; given < total; j = (j + 1) % SHARE.length, given++) {
      parts[j]++;
    }
    return parts[i];
  }
}
