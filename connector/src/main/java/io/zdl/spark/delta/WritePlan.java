package io.zdl.spark.delta;

import io.zdl.spark.kafka.offset.PartitionOffsets;
import io.zdl.spark.kafka.plan.OffsetRange;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/** What one batch adds to the table, as decided by {@link OverlapGuard}. */
public final class WritePlan {
  private final Map<TopicPartition, Long> newNextOffsets;
  private final Map<TopicPartition, Long> dropBelow;
  private final List<OffsetRange> added;
  private final List<OffsetRange> gaps;

  WritePlan(Map<TopicPartition, Long> newNextOffsets, Map<TopicPartition, Long> dropBelow, List<OffsetRange> added,
      List<OffsetRange> gaps) {
    this.newNextOffsets = PartitionOffsets.sortedCopy(newNextOffsets);
    this.dropBelow = PartitionOffsets.sortedCopy(dropBelow);
    this.added = Collections.unmodifiableList(new ArrayList<>(added));
    this.gaps = Collections.unmodifiableList(new ArrayList<>(gaps));
  }

  /** Per partition that advances, the next offset the table will hold after this commit. */
  public Map<TopicPartition, Long> newNextOffsets() {
    return newNextOffsets;
  }

  /** Rows of these partitions with an offset below the value are already in the table: drop them. */
  public Map<TopicPartition, Long> dropBelow() {
    return dropBelow;
  }

  /** The offset ranges whose records this commit adds. */
  public List<OffsetRange> added() {
    return added;
  }

  /** Ranges between the table's end and the batch's start, allowed with allowOffsetGaps=true. */
  public List<OffsetRange> gaps() {
    return gaps;
  }

  /** True when the table already holds everything of the batch: no commit at all. */
  public boolean nothingToCommit() {
    return newNextOffsets.isEmpty();
  }

  /** True when every row of the batch is new, so the rows need no filtering. */
  public boolean writesAllRows() {
    return dropBelow.isEmpty();
  }
}
