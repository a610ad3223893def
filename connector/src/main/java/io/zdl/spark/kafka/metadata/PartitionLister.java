package io.zdl.spark.kafka.metadata;

import io.zdl.spark.kafka.offset.PartitionOffsets;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lists partitions, and does not take a partition for gone on one listing's word. While metadata
 * propagates (a topic just created, partitions just added, a broker behind the controller), a broker
 * answers UNKNOWN_TOPIC_OR_PARTITION or an older partition count for partitions that exist. So a
 * partition that is expected (the query read it) or was listed before, and is missing now, is asked
 * for again, a bounded number of times; it counts as gone only if it is missing from every listing.
 * A partition found gone is not asked for again while it stays missing, so a deleted topic costs the
 * wait once. Not thread-safe: one per stream.
 */
final class PartitionLister {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionLister.class);

  /** One listing of the subscribed partitions that exist, as one broker sees them. */
  interface Listing {
    Set<TopicPartition> list() throws InterruptedException;
  }

  interface Sleeper {
    void sleep(long ms) throws InterruptedException;
  }

  private final int retries;
  private final long retryIntervalMs;
  private final Sleeper sleeper;
  private final Set<TopicPartition> listedBefore = new TreeSet<>(PartitionOffsets.ORDER);
  private final Set<TopicPartition> gone = new TreeSet<>(PartitionOffsets.ORDER);

  PartitionLister(int retries, long retryIntervalMs, Sleeper sleeper) {
    this.retries = retries;
    this.retryIntervalMs = retryIntervalMs;
    this.sleeper = sleeper;
  }

  /**
   * The partitions that exist: those of the first listing, plus any expected or earlier-listed one
   * that a later listing (at most {@code retries} more, {@code retryIntervalMs} apart) shows.
   */
  Set<TopicPartition> list(Set<TopicPartition> expected, Listing listing) throws InterruptedException {
    Set<TopicPartition> known = new TreeSet<>(PartitionOffsets.ORDER);
    known.addAll(listedBefore);
    known.addAll(expected);
    known.removeAll(gone);
    Set<TopicPartition> listed = new TreeSet<>(PartitionOffsets.ORDER);
    listed.addAll(listing.list());
    for (int attempt = 1; attempt <= retries && !listed.containsAll(known); attempt++) {
      Set<TopicPartition> missing = new TreeSet<>(PartitionOffsets.ORDER);
      missing.addAll(known);
      missing.removeAll(listed);
      LOG.info("Partitions {} are not in the metadata a broker gave (listing {} of at most {}); asking again in {} ms "
          + "before taking them for gone, as metadata may still be reaching that broker", missing, attempt,
          retries + 1, retryIntervalMs);
      sleeper.sleep(retryIntervalMs);
      listed.addAll(listing.list()); // a partition any broker lists exists
    }
    for (TopicPartition tp : known) {
      if (!listed.contains(tp)) {
        gone.add(tp);
      }
    }
    gone.removeAll(listed); // back again (a topic recreated): the next absence is asked about again
    listedBefore.clear();
    listedBefore.addAll(listed);
    return listed;
  }
}
