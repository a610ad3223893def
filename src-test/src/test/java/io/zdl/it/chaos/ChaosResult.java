package io.zdl.it.chaos;

import java.time.Duration;
import java.util.List;

/** What one campaign did and found; {@code stateful} is null when the stateful pipeline did not run. */
record ChaosResult(String target, long seed, ChaosSchedule.Sizes sizes, int pipelineRuns, int kills,
    int executorKills, int brokerRestarts, int checkpointLosses, long maxOffsetsChanges, List<String> pipelineFailures,
    Reconciliation reconciliation, Stateful stateful, Duration runTime) {

  /**
   * The stateful pipeline's share: {@code tables} generations written (one more after each refused restart
   * on a lost checkpoint), {@code refusals} such restarts refused with ZDL_SINK_STATEFUL_OVERLAP, and the
   * reconcile of all its tables together.
   */
  record Stateful(int tables, int refusals, Reconciliation reconciliation) {}

  String summary() {
    Reconciliation r = reconciliation;
    String s = String.format("target=%s seed=%d produced=%d in-table=%d missing=%d duplicated=%d "
            + "unexpected=%d corrupt=%d aborted=%d kills=%d executor-kills=%d broker-restarts=%d checkpoint-losses=%d "
            + "maxOffsetsPerTrigger-changes=%d pipeline-runs=%d pipeline-failures=%d run-time=%ds%s",
        target, seed, r.produced(), r.rowsInTable(), r.missing(), r.duplicated(), r.unexpected(), r.corrupt(),
        r.aborted(), kills, executorKills, brokerRestarts, checkpointLosses, maxOffsetsChanges, pipelineRuns,
        pipelineFailures.size(), runTime.toSeconds(), r.examples().isEmpty() ? "" : " examples: " + r.examples());
    if (stateful != null) {
      Reconciliation d = stateful.reconciliation();
      s += String.format("; stateful (dropDuplicates): tables=%d refusals=%d in-tables=%d missing=%d duplicated=%d "
              + "unexpected=%d corrupt=%d%s", stateful.tables(), stateful.refusals(), d.rowsInTable(), d.missing(),
          d.duplicated(), d.unexpected(), d.corrupt(), d.examples().isEmpty() ? "" : " examples: " + d.examples());
    }
    return s;
  }
}
