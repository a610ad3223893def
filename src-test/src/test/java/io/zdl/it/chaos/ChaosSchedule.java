package io.zdl.it.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a campaign does, drawn up front from a seed: the same seed gives the same rounds, events and
 * records. Each round produces its first chunk, starts the pipeline, and from the run's first commit
 * on produces more, maybe restarts the broker, and ends with a SIGKILL of the pipeline; the last
 * round (the drain) runs it to the end. Only where each event lands in the pipeline's progress
 * depends on the machine's speed.
 */
record ChaosSchedule(long seed, Sizes sizes, List<Round> rounds) {

  /** How big a campaign is. Kill times in ms after the run's first commit. */
  record Sizes(int kills, int brokerRestarts, int checkpointLosses, long killMinMs, long killMaxMs,
      int chunksPerRound, int maxRecordsPerChunk, int abortPercent, int largeEvery, int executorKillsPerRound) {
    Sizes {
      if (brokerRestarts > kills || checkpointLosses > kills) {
        throw new IllegalArgumentException("at most one broker restart and one checkpoint loss per kill: " + this);
      }
    }
  }

  /** The maxOffsetsPerTrigger values a round picks from. */
  static final int[] MAX_OFFSETS_PER_TRIGGER = {8, 20, 50, 120};

  enum Kind { PRODUCE, BROKER_RESTART, KILL_EXECUTOR, KILL_DRIVER }

  /** A transaction's worth of records; {@code abort}: the producer aborts it. */
  record Chunk(int records, boolean abort) {}

  record Event(long atMs, Kind kind, Chunk chunk) {
    @Override
    public String toString() {
      return switch (kind) {
        case PRODUCE -> String.format("%.1fs produce %d%s", atMs / 1000.0, chunk.records(),
            chunk.abort() ? " (aborted)" : "");
        case BROKER_RESTART -> String.format("%.1fs broker restart", atMs / 1000.0);
        case KILL_EXECUTOR -> String.format("%.1fs SIGKILL an executor", atMs / 1000.0);
        case KILL_DRIVER -> String.format("%.1fs SIGKILL", atMs / 1000.0);
      };
    }
  }

  /**
   * @param checkpointLoss the checkpoint is deleted before this round; it resumes with startingOffsetsFromTable
   * @param drain the last round: no kill, the pipeline runs to the end (Trigger.AvailableNow)
   */
  record Round(int index, int maxOffsetsPerTrigger, boolean maxOffsetsChanged, boolean checkpointLoss,
      boolean drain, List<Event> events) {
    boolean restartsBroker() {
      return events.stream().anyMatch(e -> e.kind() == Kind.BROKER_RESTART);
    }

    @Override
    public String toString() {
      return String.format("round %d%s: maxOffsetsPerTrigger=%d%s%s; %s", index, drain ? " (drain)" : "",
          maxOffsetsPerTrigger, maxOffsetsChanged ? " (changed)" : "", checkpointLoss ? ", checkpoint lost" : "",
          events);
    }
  }

  static ChaosSchedule generate(long seed, Sizes s) {
    Random r = new Random(seed);
    Set<Integer> restartRounds = pick(r, s.brokerRestarts(), 0, s.kills());
    // a checkpoint can be lost before any round but the first (then there is none), the drain included
    Set<Integer> lossRounds = pick(r, s.checkpointLosses(), 1, s.kills() + 1);
    List<Round> rounds = new ArrayList<>();
    int mopt = MAX_OFFSETS_PER_TRIGGER[r.nextInt(MAX_OFFSETS_PER_TRIGGER.length)];
    for (int i = 0; i <= s.kills(); i++) {
      boolean changed = false;
      if (i > 0 && r.nextInt(3) == 0) {
        int next = MAX_OFFSETS_PER_TRIGGER[r.nextInt(MAX_OFFSETS_PER_TRIGGER.length)];
        changed = next != mopt;
        mopt = next;
      }
      boolean drain = i == s.kills();
      List<Event> events = new ArrayList<>();
      if (drain) {
        events.add(new Event(0, Kind.PRODUCE, chunk(r, s)));
      } else {
        long kill = s.killMinMs() + (long) (r.nextDouble() * (s.killMaxMs() - s.killMinMs()));
        for (int c = 0; c < s.chunksPerRound(); c++) {
          events.add(new Event(kill * c / s.chunksPerRound(), Kind.PRODUCE, chunk(r, s)));
        }
        if (restartRounds.contains(i)) {
          events.add(new Event((long) (kill * (0.25 + 0.5 * r.nextDouble())), Kind.BROKER_RESTART, null));
        }
        for (int x = 0; x < s.executorKillsPerRound(); x++) {
          events.add(new Event((long) (kill * r.nextDouble()), Kind.KILL_EXECUTOR, null));
        }
        events.add(new Event(kill, Kind.KILL_DRIVER, null));
        events.sort((a, b) -> Long.compare(a.atMs(), b.atMs()));
      }
      rounds.add(new Round(i, mopt, changed, lossRounds.contains(i), drain, List.copyOf(events)));
    }
    return new ChaosSchedule(seed, s, List.copyOf(rounds));
  }

  private static Chunk chunk(Random r, Sizes s) {
    return new Chunk(1 + r.nextInt(s.maxRecordsPerChunk()), r.nextInt(100) < s.abortPercent());
  }

  /** {@code n} distinct values of [from, to). */
  private static Set<Integer> pick(Random r, int n, int from, int to) {
    List<Integer> all = new ArrayList<>();
    for (int i = from; i < to; i++) {
      all.add(i);
    }
    Collections.shuffle(all, r);
    return new TreeSet<>(all.subList(0, Math.min(n, all.size())));
  }

  long maxOffsetsChanges() {
    return rounds.stream().filter(Round::maxOffsetsChanged).count();
  }

  String describe() {
    StringBuilder sb = new StringBuilder("seed " + seed + ", " + sizes + "\n");
    rounds.forEach(r -> sb.append("  ").append(r).append('\n'));
    return sb.toString();
  }
}
