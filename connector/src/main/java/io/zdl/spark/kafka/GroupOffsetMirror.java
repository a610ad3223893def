package io.zdl.spark.kafka;

import io.zdl.spark.kafka.group.GroupOffsetCommitter;
import io.zdl.spark.kafka.group.SparkCommitLog;
import java.util.Map;
import java.util.function.LongPredicate;
import org.apache.kafka.common.TopicPartition;

/**
 * Mirrors a stream's committed batches into a Kafka consumer group ({@code commitOffsetsToGroup}) for lag
 * tools. Progress lives in Spark's commit log (and, with zdl-delta, in the table); the group is never read
 * back. Spark tells a source about a commit only when it starts the next batch, so the newest planned batch
 * is also mirrored once Spark's commit log has it: at the next trigger, or when the stream stops.
 */
final class GroupOffsetMirror {
  /** Where the offsets go; {@link GroupOffsetCommitter} sends them on its own thread. */
  interface Committer {
    void commitAsync(Map<TopicPartition, Long> nextOffsets, String batchLabel);

    long failedBatches();

    void close();
  }

  private static final GroupOffsetMirror DISABLED = new GroupOffsetMirror(null, batchId -> false);

  private final Committer committer; // null: commitOffsetsToGroup not set
  private final LongPredicate committedBySpark;
  private long pendingBatch = -1; // the newest planned batch not yet mirrored to the group
  private Map<TopicPartition, Long> pendingEnd;

  GroupOffsetMirror(Committer committer, LongPredicate committedBySpark) {
    this.committer = committer;
    this.committedBySpark = committedBySpark;
  }

  /** A mirror that sends nothing: the option {@code commitOffsetsToGroup} is not set. */
  static GroupOffsetMirror disabled() {
    return DISABLED;
  }

  /** Starts a committer to {@code group}; it checks Spark's {@code commitLog} for the batches it mirrors. */
  static GroupOffsetMirror toGroup(String group, Map<String, Object> adminParams, SparkCommitLog commitLog) {
    final GroupOffsetCommitter kafka = new GroupOffsetCommitter(group, adminParams);
    return new GroupOffsetMirror(new Committer() {
      @Override
      public void commitAsync(Map<TopicPartition, Long> nextOffsets, String batchLabel) {
        kafka.commitAsync(nextOffsets, batchLabel);
      }

      @Override
      public long failedBatches() {
        return kafka.failedBatches();
      }

      @Override
      public void close() {
        kafka.close();
      }
    }, commitLog::isCommitted);
  }

  boolean enabled() {
    return committer != null;
  }

  /** Batch {@code batchId}, ending at {@code end}, was planned: it is mirrored once Spark commits it. */
  synchronized void planned(long batchId, Map<TopicPartition, Long> end) {
    if (committer != null) {
      pendingBatch = batchId;
      pendingEnd = end;
    }
  }

  /** Spark's commit call for the batch ending at {@code end}: mirrors it now. */
  void committed(Map<TopicPartition, Long> end) {
    if (committer == null) {
      return;
    }
    synchronized (this) {
      if (end.equals(pendingEnd)) {
        pendingEnd = null;
      }
    }
    committer.commitAsync(end, "batch ending at " + end);
  }

  /** Mirrors the newest planned batch if Spark's commit log has it and it was not mirrored yet. */
  void mirrorIfCommitted() {
    if (committer == null) {
      return;
    }
    long batchId;
    Map<TopicPartition, Long> end;
    synchronized (this) {
      batchId = pendingBatch;
      end = pendingEnd;
    }
    if (end != null && committedBySpark.test(batchId)) {
      synchronized (this) {
        if (end == pendingEnd) {
          pendingEnd = null;
        }
      }
      committer.commitAsync(end, "batch " + batchId);
    }
  }

  /** Group commits given up on so far (the metric {@code groupCommitsFailed}). */
  long failedBatches() {
    return committer == null ? 0 : committer.failedBatches();
  }

  /** Mirrors a batch Spark committed but was not told of yet, then stops the committer. */
  void close() {
    if (committer != null) {
      mirrorIfCommitted();
      committer.close();
    }
  }
}
