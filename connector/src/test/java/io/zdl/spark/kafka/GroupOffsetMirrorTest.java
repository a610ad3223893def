package io.zdl.spark.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class GroupOffsetMirrorTest {
  private static final TopicPartition P = new TopicPartition("t", 0);

  /** Stands in for the Kafka committer: remembers what it was asked to send. */
  private static final class RecordingCommitter implements GroupOffsetMirror.Committer {
    final List<String> sent = new ArrayList<>();
    long failed;
    boolean closed;

    @Override
    public void commitAsync(Map<TopicPartition, Long> nextOffsets, String batchLabel) {
      sent.add(batchLabel + " -> " + nextOffsets);
    }

    @Override
    public long failedBatches() {
      return failed;
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private final RecordingCommitter committer = new RecordingCommitter();
  private final Set<Long> committedBySpark = new HashSet<>();
  private final GroupOffsetMirror mirror = new GroupOffsetMirror(committer, committedBySpark::contains);

  private static Map<TopicPartition, Long> at(long offset) {
    return Collections.singletonMap(P, offset);
  }

  @Test
  void aPlannedBatchIsMirroredOnlyOnceSparksCommitLogHasIt() {
    mirror.planned(3, at(30));
    mirror.mirrorIfCommitted();
    assertEquals(Collections.emptyList(), committer.sent);

    committedBySpark.add(3L);
    mirror.mirrorIfCommitted();
    mirror.mirrorIfCommitted();
    assertEquals(Collections.singletonList("batch 3 -> {t-0=30}"), committer.sent);
  }

  @Test
  void sparksCommitCallMirrorsTheBatchAndSettlesThePendingOne() {
    mirror.planned(3, at(30));
    mirror.committed(at(30));
    committedBySpark.add(3L);
    mirror.mirrorIfCommitted();
    assertEquals(Collections.singletonList("batch ending at {t-0=30} -> {t-0=30}"), committer.sent);
  }

  @Test
  void aCommitCallForAnEarlierBatchLeavesTheNewestPlannedOnePending() {
    mirror.planned(4, at(40));
    mirror.committed(at(30));
    committedBySpark.add(4L);
    mirror.mirrorIfCommitted();
    assertEquals(
        Arrays.asList("batch ending at {t-0=30} -> {t-0=30}", "batch 4 -> {t-0=40}"), committer.sent);
  }

  @Test
  void closingMirrorsACommittedBatchSparkDidNotReportThenClosesTheCommitter() {
    mirror.planned(7, at(70));
    committedBySpark.add(7L);
    mirror.close();
    assertEquals(Collections.singletonList("batch 7 -> {t-0=70}"), committer.sent);
    assertTrue(committer.closed);
  }

  @Test
  void failedGroupCommitsAreTheCommittersCount() {
    committer.failed = 2;
    assertTrue(mirror.enabled());
    assertEquals(2, mirror.failedBatches());
  }

  @Test
  void withoutAGroupTheMirrorIsOffAndReportsNoFailures() {
    GroupOffsetMirror off = GroupOffsetMirror.disabled();
    off.planned(1, at(10));
    off.committed(at(10));
    off.mirrorIfCommitted();
    off.close();
    assertFalse(off.enabled());
    assertEquals(0, off.failedBatches());
  }
}
