package io.zdl.it.source;

import static io.zdl.it.support.Queries.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.zdl.it.support.TestRecords;
import io.zdl.shaded.org.apache.kafka.common.TopicPartition;
import io.zdl.spark.kafka.config.KafkaParams;
import io.zdl.spark.kafka.metadata.AdminOffsetReader;
import io.zdl.spark.kafka.metadata.TopicSubscription;
import io.zdl.spark.kafka.offset.PartitionOffsets;
import io.zdl.test.kafka.KafkaBrokerExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A stream's per-batch lookup (partitions, latest offsets and log starts in one call, on the lookup
 * consumer and the Admin client) against a real broker: the same answer as the Admin client's separate
 * lookups, whatever partitions the caller expected.
 */
class AdminOffsetReaderIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  /** 3 partitions, 30 records; partition 0's log starts at 4. */
  private String topicWithTrimmedLog() throws Exception {
    String topic = unique("lookup");
    KAFKA.broker().createTopic(topic, 3);
    TestRecords.produce(KAFKA.broker(), topic, 3, 0, 30);
    KAFKA.broker().admin().deleteRecords(Map.of(new org.apache.kafka.common.TopicPartition(topic, 0),
        RecordsToDelete.beforeOffset(4))).all().get(60, TimeUnit.SECONDS);
    return topic;
  }

  /** A stream's reader, built from source options as zdl-kafka builds it. */
  private static AdminOffsetReader reader(List<String> topics, String isolationLevel) {
    return reader(topics, isolationLevel, 3, 100);
  }

  private static AdminOffsetReader reader(List<String> topics, String isolationLevel, int retries, long intervalMs) {
    Map<String, String> options = new HashMap<>();
    options.put("kafka.bootstrap.servers", KAFKA.broker().bootstrapServers());
    options.put("kafka.isolation.level", isolationLevel);
    // far above the bound the tests wait: a lookup left to wait for a gone partition fails them
    options.put("kafka.default.api.timeout.ms", "180000");
    KafkaParams params = KafkaParams.fromOptions(options);
    return new AdminOffsetReader(params.adminParams(), params.offsetLookupParams(), TopicSubscription.topics(topics),
        params.isolationLevel(), retries, intervalMs);
  }

  private static Set<TopicPartition> partitions(String topic, int... ps) {
    Set<TopicPartition> set = new TreeSet<>(PartitionOffsets.ORDER);
    for (int p : ps) {
      set.add(new TopicPartition(topic, p));
    }
    return set;
  }

  private static Map<TopicPartition, Long> offsets(String topic, long... perPartition) {
    Map<TopicPartition, Long> m = new TreeMap<>(PartitionOffsets.ORDER);
    for (int p = 0; p < perPartition.length; p++) {
      m.put(new TopicPartition(topic, p), perPartition[p]);
    }
    return m;
  }

  private static Map<TopicPartition, Long> sorted(Map<TopicPartition, Long> offsets) {
    Map<TopicPartition, Long> m = new TreeMap<>(PartitionOffsets.ORDER);
    m.putAll(offsets);
    return m;
  }

  /** Runs the combined lookup with {@code expected}; checks partitions, latest offsets and log starts. */
  private static void assertLookup(AdminOffsetReader reader, Set<TopicPartition> expected,
      Map<TopicPartition, Long> wantLatest, Map<TopicPartition, Long> wantEarliest) {
    Map<TopicPartition, Long> latest = new HashMap<>();
    Map<TopicPartition, Long> earliest = new HashMap<>();
    Set<TopicPartition> found = assertTimeoutPreemptively(Duration.ofSeconds(90),
        () -> reader.partitionsWithOffsets(expected, latest, earliest), "the lookup must not wait for gone partitions");
    assertEquals(wantLatest.keySet(), found);
    assertEquals(wantLatest, sorted(latest), "latest offsets, expected " + expected);
    assertEquals(wantEarliest, sorted(earliest), "log starts, expected " + expected);
  }

  @Test
  void givesThePartitionsWithTheirLatestOffsetsAndLogStartsWhateverWasExpected() throws Exception {
    String topic = topicWithTrimmedLog();
    try (AdminOffsetReader reader = reader(List.of(topic), "read_uncommitted")) {
      // as the Admin client's separate lookups give them
      Map<TopicPartition, Long> latest = new HashMap<>();
      Map<TopicPartition, Long> earliest = new HashMap<>();
      reader.latestAndEarliestOffsets(reader.partitions(), latest, earliest);
      assertEquals(offsets(topic, 10, 10, 10), sorted(latest));
      assertEquals(offsets(topic, 4, 0, 0), sorted(earliest));

      Map<TopicPartition, Long> wantLatest = offsets(topic, 10, 10, 10);
      Map<TopicPartition, Long> wantEarliest = offsets(topic, 4, 0, 0);
      assertLookup(reader, partitions(topic, 0, 1, 2), wantLatest, wantEarliest); // the steady state
      assertLookup(reader, partitions(topic), wantLatest, wantEarliest); // the first batch knows none
      assertLookup(reader, partitions(topic, 1), wantLatest, wantEarliest); // partitions added since
      TestRecords.produce(KAFKA.broker(), topic, 3, 30, 3);
      assertLookup(reader, partitions(topic, 0, 1, 2), offsets(topic, 11, 11, 11), wantEarliest); // fresh
    }
  }

  @Test
  void expectedPartitionsThatAreGoneAreLeftOutWithoutWaitingForThem() throws Exception {
    String topic = topicWithTrimmedLog();
    String deleted = unique("lookup-deleted");
    KAFKA.broker().createTopic(deleted, 2);
    try (AdminOffsetReader reader = reader(List.of(topic, deleted), "read_uncommitted")) {
      Set<TopicPartition> before = partitions(topic, 0, 1, 2);
      before.addAll(partitions(deleted, 0, 1));
      Map<TopicPartition, Long> bothLatest = offsets(topic, 10, 10, 10);
      bothLatest.putAll(offsets(deleted, 0, 0));
      Map<TopicPartition, Long> bothEarliest = offsets(topic, 4, 0, 0);
      bothEarliest.putAll(offsets(deleted, 0, 0));
      assertLookup(reader, before, bothLatest, bothEarliest);
      KAFKA.broker().deleteTopic(deleted);

      assertLookup(reader, before, offsets(topic, 10, 10, 10), offsets(topic, 4, 0, 0));
      // a partition number the topic never had
      assertLookup(reader, partitions(topic, 0, 1, 2, 7), offsets(topic, 10, 10, 10), offsets(topic, 4, 0, 0));
      // and the steady state again, on a new lookup consumer
      assertLookup(reader, partitions(topic, 0, 1, 2), offsets(topic, 10, 10, 10), offsets(topic, 4, 0, 0));
    }
  }

  @Test
  void anExpectedTopicTheBrokerDoesNotKnowYetIsAskedForAgainNotTakenForGone() throws Exception {
    // the broker answers UNKNOWN_TOPIC_OR_PARTITION for the expected topic on the first listing, as a broker
    // that metadata has not reached yet does; the topic exists a moment later
    String topic = unique("lookup-late");
    try (AdminOffsetReader reader = reader(List.of(topic), "read_uncommitted", 5, 1000)) {
      assertEquals(Set.of(), reader.partitions()); // the Admin client is connected: the next listing is quick
      Thread creator = new Thread(() -> {
        try {
          Thread.sleep(300);
        } catch (InterruptedException e) {
          return;
        }
        KAFKA.broker().createTopic(topic, 1);
      });
      creator.start();
      try {
        assertLookup(reader, partitions(topic, 0), offsets(topic, 0), offsets(topic, 0));
      } finally {
        creator.join(60_000);
      }
    }
  }

  @Test
  void aFailedConsumerLookupFallsBackToTheAdminClient() throws Exception {
    String topic = topicWithTrimmedLog();
    KafkaParams params = KafkaParams.fromOptions(Map.of("kafka.bootstrap.servers", KAFKA.broker().bootstrapServers()));
    // the lookup consumer alone is sent to a port where nothing listens: each of its lookups times out
    Map<String, String> deadOptions = new HashMap<>();
    deadOptions.put("kafka.bootstrap.servers", "127.0.0.1:1");
    deadOptions.put("kafka.default.api.timeout.ms", "1500");
    Map<String, Object> deadLookup = KafkaParams.fromOptions(deadOptions).offsetLookupParams();
    try (AdminOffsetReader reader = new AdminOffsetReader(params.adminParams(), deadLookup,
        TopicSubscription.topics(List.of(topic)), params.isolationLevel(), 3, 100)) {
      for (int batch = 0; batch < 2; batch++) { // the failed lookup consumer is replaced, and fails again
        assertLookup(reader, partitions(topic, 0, 1, 2), offsets(topic, 10, 10, 10), offsets(topic, 4, 0, 0));
      }
    }
  }

  @Test
  void underReadCommittedLatestIsTheLastStableOffset() throws Exception {
    String topic = unique("lookup-txn");
    KAFKA.broker().createTopic(topic, 1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 5);
    Properties props = KAFKA.broker().producerProperties();
    props.put("transactional.id", topic + "-open");
    try (KafkaProducer<byte[], byte[]> open = new KafkaProducer<>(props);
        AdminOffsetReader committed = reader(List.of(topic), "read_committed");
        AdminOffsetReader uncommitted = reader(List.of(topic), "read_uncommitted")) {
      open.initTransactions();
      open.beginTransaction();
      for (int i = 0; i < 3; i++) {
        open.send(new ProducerRecord<>(topic, 0, null, ("open-" + i).getBytes()));
      }
      open.flush(); // written, not committed: the last stable offset stays at 5
      for (int round = 0; round < 2; round++) { // the first batch (Admin client) and the next (lookup consumer)
        assertLookup(committed, round == 0 ? partitions(topic) : partitions(topic, 0),
            offsets(topic, 5), offsets(topic, 0));
        assertLookup(uncommitted, round == 0 ? partitions(topic) : partitions(topic, 0),
            offsets(topic, 8), offsets(topic, 0));
      }
      open.abortTransaction();
    }
  }
}
