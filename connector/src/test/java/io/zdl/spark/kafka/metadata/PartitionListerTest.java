package io.zdl.spark.kafka.metadata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Listings as brokers answer them while metadata propagates: a partition may be missing from one. */
class PartitionListerTest {
  private static final TopicPartition A0 = new TopicPartition("a", 0);
  private static final TopicPartition A1 = new TopicPartition("a", 1);
  private static final TopicPartition B0 = new TopicPartition("b", 0);

  private final List<Long> sleeps = new ArrayList<>();

  private PartitionLister lister(int retries) {
    return new PartitionLister(retries, 500, sleeps::add);
  }

  /** Answers these listings in turn, then the last one again. */
  private static PartitionLister.Listing answers(List<Set<TopicPartition>> listings) {
    Deque<Set<TopicPartition>> left = new ArrayDeque<>(listings);
    return () -> left.size() > 1 ? left.poll() : left.peek();
  }

  private static Set<TopicPartition> set(TopicPartition... tps) {
    Set<TopicPartition> s = new TreeSet<>(io.zdl.spark.kafka.offset.PartitionOffsets.ORDER);
    s.addAll(Arrays.asList(tps));
    return s;
  }

  @Test
  void anExpectedPartitionMissingFromOneListingIsAskedForAgainNotTakenForGone() throws InterruptedException {
    Set<TopicPartition> listed = lister(3).list(set(A0, A1), answers(Arrays.asList(set(A0), set(A0, A1))));
    assertEquals(set(A0, A1), listed);
    assertEquals(Collections.singletonList(500L), sleeps);
  }

  @Test
  void aPartitionListedBeforeAndMissingNowIsAskedForAgain() throws InterruptedException {
    PartitionLister lister = lister(3);
    assertEquals(set(A0, A1, B0), lister.list(set(), answers(Collections.singletonList(set(A0, A1, B0)))));
    // a broker that has not yet heard of topic b (UNKNOWN_TOPIC_OR_PARTITION), then one that has
    assertEquals(set(A0, A1, B0), lister.list(set(), answers(Arrays.asList(set(A0, A1), set(A0, A1, B0)))));
  }

  @Test
  void aPartitionSeenInAnyListingExistsEvenIfAStaleBrokerAnswersTheLast() throws InterruptedException {
    Set<TopicPartition> listed = lister(3).list(set(A0, B0), answers(Arrays.asList(set(A0), set(A0, B0), set(A0))));
    assertEquals(set(A0, B0), listed);
  }

  @Test
  void aPartitionMissingFromEveryListingWithinTheBoundIsGoneAndNotAskedForAgainAtTheNextCall() throws InterruptedException {
    PartitionLister lister = lister(3);
    assertEquals(set(A0), lister.list(set(A0, B0), answers(Collections.singletonList(set(A0)))));
    assertEquals(Arrays.asList(500L, 500L, 500L), sleeps, "the bound: fetchOffset.numRetries listings more");
    sleeps.clear();
    assertEquals(set(A0), lister.list(set(A0, B0), answers(Collections.singletonList(set(A0)))));
    assertEquals(Collections.emptyList(), sleeps, "a gone partition costs the wait once");
  }

  @Test
  void nothingMissingIsOneListing() throws InterruptedException {
    assertEquals(set(A0, A1), lister(3).list(set(A0), answers(Collections.singletonList(set(A0, A1)))));
    assertEquals(Collections.emptyList(), sleeps);
  }
}
