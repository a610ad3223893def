package io.zdl.it.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.chaos.ChaosSchedule.Kind;
import io.zdl.it.chaos.ChaosSchedule.Round;
import org.junit.jupiter.api.Test;

/** The schedule is a pure function of the seed, and holds exactly the faults asked for. */
class ChaosScheduleTest {
  private static final ChaosSchedule.Sizes SIZES =
      new ChaosSchedule.Sizes(40, 7, 5, 500, 30_000, 3, 80, 20, 250, 1);

  @Test
  void theSameSeedReplaysTheSameScheduleAndAnotherSeedDoesNot() {
    assertEquals(ChaosSchedule.generate(42, SIZES), ChaosSchedule.generate(42, SIZES));
    assertEquals(ChaosSchedule.generate(42, SIZES).describe(), ChaosSchedule.generate(42, SIZES).describe());
    assertNotEquals(ChaosSchedule.generate(42, SIZES), ChaosSchedule.generate(43, SIZES));
  }

  @Test
  void everyKillBrokerRestartAndCheckpointLossAskedForIsScheduled() {
    ChaosSchedule s = ChaosSchedule.generate(7, SIZES);
    assertEquals(41, s.rounds().size(), "40 killed runs and the drain");
    assertEquals(40, s.rounds().stream().flatMap(r -> r.events().stream()).filter(e -> e.kind() == Kind.KILL_DRIVER)
        .count());
    assertEquals(7, s.rounds().stream().filter(Round::restartsBroker).count());
    assertEquals(5, s.rounds().stream().filter(Round::checkpointLoss).count());
    assertTrue(!s.rounds().get(0).checkpointLoss(), "the first run has no checkpoint to lose");
    Round drain = s.rounds().get(40);
    assertTrue(drain.drain() && drain.events().stream().noneMatch(e -> e.kind() != Kind.PRODUCE));
    for (Round r : s.rounds().subList(0, 40)) {
      ChaosSchedule.Event last = r.events().get(r.events().size() - 1);
      assertEquals(Kind.KILL_DRIVER, last.kind(), "a run ends with its kill: " + r);
      assertTrue(last.atMs() >= 500 && last.atMs() < 30_000, r::toString);
      assertEquals(0, r.events().get(0).atMs(), "a run's first chunk is produced before it starts");
    }
    assertTrue(s.maxOffsetsChanges() > 0, "some runs change maxOffsetsPerTrigger");
    assertEquals(40, s.rounds().stream().flatMap(r -> r.events().stream())
        .filter(e -> e.kind() == Kind.KILL_EXECUTOR).count(), "one executor kill per killed run");
  }

  @Test
  void recordsAreAFunctionOfTheirIdWithNullKeysNullHeaderValuesAndLargeValues() {
    ChaosRecords records = new ChaosRecords(99, 50);
    ChaosRecords again = new ChaosRecords(99, 50);
    int large = 0;
    boolean nullKey = false;
    boolean nullHeader = false;
    for (long id = 0; id < 500; id++) {
      assertEquals(records.fingerprint(id), again.fingerprint(id));
      int len = records.value(id).length;
      assertTrue(len <= ChaosRecords.LARGEST_VALUE, "value of " + id + " has " + len + " bytes");
      large += len > 900_000 ? 1 : 0;
      nullKey |= ChaosRecords.key(id) == null;
      nullHeader |= ChaosRecords.headers(id).stream().anyMatch(h -> h.value() == null);
    }
    assertTrue(large > 0 && large < 50, large + " large values in 500");
    assertTrue(nullKey && nullHeader);
  }
}
