package io.zdl.it.chaos;

import java.time.Duration;
import java.util.List;

/** What one campaign did and found. */
record ChaosResult(String target, long seed, ChaosSchedule.Sizes sizes, int pipelineRuns, int kills,
    int executorKills, int brokerRestarts, int checkpointLosses, long maxOffsetsChanges, List<String> pipelineFailures,
    Reconciliation reconciliation, Duration runTime) {

  String summary() {
    Reconciliation r = reconciliation;
    return String.format("target=%s seed=%d produced=%d in-table=%d missing=%d duplicated=%d "
            + "unexpected=%d corrupt=%d aborted=%d kills=%d executor-kills=%d broker-restarts=%d checkpoint-losses=%d "
            + "maxOffsetsPerTrigger-changes=%d pipeline-runs=%d pipeline-failures=%d run-time=%ds%s",
        target, seed, r.produced(), r.rowsInTable(), r.missing(), r.duplicated(), r.unexpected(), r.corrupt(),
        r.aborted(), kills, executorKills, brokerRestarts, checkpointLosses, maxOffsetsChanges, pipelineRuns,
        pipelineFailures.size(), runTime.toSeconds(), r.examples().isEmpty() ? "" : " examples: " + r.examples());
  }
}
