package io.zdl.spark.kafka.plan;

import io.zdl.spark.kafka.offset.PartitionOffsets;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/** Decides how far a micro-batch reads under {@code maxOffsetsPerTrigger}. Pure: no I/O. */
public final class AdmissionPlanner {
  private AdmissionPlanner() {}

  /** Offsets available beyond {@code start}, over the partitions of {@code latest}. */
  public static long backlog(Map<TopicPartition, Long> start, Map<TopicPartition, Long> latest) {
    long total = 0;
    for (Map.Entry<TopicPartition, Long> e : latest.entrySet()) {
      Long from = start.get(e.getKey());
      total += Math.max(0, e.getValue() - (from == null ? PartitionOffsets.NEW_PARTITION_START : from));
    }
    return total;
  }

  /**
   * End offsets that read at most {@code maxOffsets} in all, shared across partitions in proportion
   * to their backlog (largest remainders first, ties by topic and partition, so it is deterministic).
   *
   * @param start next offset per partition; every key of {@code latest} must be present
   * @param latest available end per partition
   */
  public static Map<TopicPartition, Long> limit(Map<TopicPartition, Long> start, Map<TopicPartition, Long> latest,
      long maxOffsets) {
    Map<TopicPartition, Long> end = PartitionOffsets.sorted();
    long total = backlog(start, latest);
    if (total <= maxOffsets) {
      end.putAll(latest);
      return end;
    }
    BigInteger max = BigInteger.valueOf(maxOffsets);
    BigInteger all = BigInteger.valueOf(total);
    List<Share> shares = new ArrayList<>();
    long granted = 0;
    for (Map.Entry<TopicPartition, Long> e : PartitionOffsets.sortedCopy(latest).entrySet()) {
      long from = start.get(e.getKey());
      long size = Math.max(0, e.getValue() - from);
      BigInteger[] qr = max.multiply(BigInteger.valueOf(size)).divideAndRemainder(all);
      Share s = new Share(e.getKey(), from, size, qr[0].longValue(), qr[1]);
      shares.add(s);
      granted += s.granted;
    }
    long left = maxOffsets - granted;
    shares.sort((a, b) -> {
      int c = b.remainder.compareTo(a.remainder);
      return c != 0 ? c : PartitionOffsets.ORDER.compare(a.tp, b.tp);
    });
    for (Share s : shares) {
      if (left > 0 && s.granted < s.size) {
        s.granted++;
        left--;
      }
      end.put(s.tp, s.from + s.granted);
    }
    return end;
  }

  private static final class Share {
    final TopicPartition tp;
    final long from;
    final long size;
    long granted;
    final BigInteger remainder;

    Share(TopicPartition tp, long from, long size, long granted, BigInteger remainder) {
      this.tp = tp;
      this.from = from;
      this.size = size;
      this.granted = granted;
      this.remainder = remainder;
    }
  }
}
