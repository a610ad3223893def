package io.zdl.it.loss;

import static io.zdl.it.support.Queries.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.support.TestRecords;
import io.zdl.it.support.TestRecords.Produced;
import io.zdl.it.support.ZdlTables;
import io.zdl.spark.delta.CommitSummary;
import io.zdl.spark.kafka.consumer.ConsumerPool;
import io.zdl.spark.kafka.consumer.PartitionConsumer;
import io.zdl.spark.kafka.read.ReadCounters;
import io.zdl.spark.loss.DataLossPolicy;
import io.zdl.spark.loss.ExecutorLossRecorder;
import io.zdl.spark.loss.LossCause;
import io.zdl.spark.loss.LossLedger;
import io.zdl.spark.loss.SkippedRange;
import io.zdl.test.kafka.KafkaCluster;
import io.zdl.test.spark.SparkTestSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.ElectionType;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An unclean leader election on a real 3-broker KRaft cluster: a follower falls behind (stopped),
 * records are written without it, the leader and the other follower die, and the stale follower
 * becomes leader with a log that ends below what the query read. The suffix it lacks is discarded
 * by the cluster; new records take its offsets.
 */
class UncleanLeaderElectionIT {
  private static KafkaCluster cluster;
  private final SparkSession spark = SparkTestSession.get();

  @BeforeAll
  static void startCluster() {
    cluster = KafkaCluster.start(newDir("cluster"), 3);
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void allBrokersUp() {
    cluster.startAll();
  }

  /** Stops broker {@code stale} so it falls out of the ISR, and writes {@code count} records without it. */
  private static List<Produced> writeWithout(TopicPartition tp, int stale, int first, int count) {
    cluster.kill(stale);
    cluster.await("broker " + stale + " out of the ISR",
        () -> cluster.describe(tp).isr().stream().noneMatch(n -> n.id() == stale));
    List<Produced> written = TestRecords.produce(cluster::newProducer, tp.topic(), 1, first, count);
    return written;
  }

  private static void electUncleanly(TopicPartition tp, int stale) {
    cluster.await("broker " + stale + " to lead " + tp, () -> {
      try {
        cluster.admin().electLeaders(ElectionType.UNCLEAN, Set.of(tp)).partitions().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // not yet: the controller may not count the restarted broker as alive yet
      }
      return cluster.leaderOf(tp).equals(java.util.Optional.of(stale));
    });
  }

  @Test
  void aTruncatedLogThatRegrewPastTheReadPositionIsSeenByTheExecutorThatReadIt() throws Exception {
    String topic = unique("regrown");
    TopicPartition tp = new TopicPartition(topic, 0);
    // two replicas (1 leads, 2 falls behind) and broker 3 beside them: a client that knew only the replicas
    // would, with both down, never learn of the new leader (Kafka 3.3 clients do not go back to the
    // bootstrap servers), as a real cluster has more brokers than a partition has replicas
    cluster.createTopic(topic, List.of(1, 2), Map.of("unclean.leader.election.enable", "true",
        "min.insync.replicas", "1"));
    TestRecords.produce(cluster::newProducer, topic, 1, 0, 10);
    writeWithout(tp, 2, 10, 10); // offsets 10..19, lost with the election below

    Path ledgerDir = newDir("regrown-ledger");
    LossLedger ledger = new LossLedger(ledgerDir.toString(), spark.sparkContext().hadoopConfiguration());
    ReadCounters counters = ReadCounters.register(spark.sparkContext(), "regrown log test");
    DataLossPolicy skip = new DataLossPolicy(false, SkippedRange.DetectedOn.EXECUTOR,
        new ExecutorLossRecorder(ledger, counters));
    Map<String, Object> params = new HashMap<>();
    params.put("bootstrap.servers", cluster.bootstrapServers());
    params.put("key.deserializer", "io.zdl.shaded.org.apache.kafka.common.serialization.ByteArrayDeserializer");
    params.put("value.deserializer", "io.zdl.shaded.org.apache.kafka.common.serialization.ByteArrayDeserializer");
    params.put("enable.auto.commit", "false");
    params.put("auto.offset.reset", "none");
    params.put("group.id", unique("regrown-group"));
    PartitionConsumer consumer = ConsumerPool.get().acquire(params,
        new io.zdl.shaded.org.apache.kafka.common.TopicPartition(topic, 0));
    try {
      for (long offset = 0; offset < 20; offset++) { // one trigger's range, read whole by this executor
        assertEquals(offset, consumer.next(offset, 20, 60_000, skip).offset());
      }
      assertNull(consumer.next(20, 20, 60_000, skip));

      // before the next trigger: the log is cut back to 10 and grows past 20 again with other records
      cluster.kill(1);
      cluster.restart(2);
      electUncleanly(tp, 2);
      List<Produced> regrown = TestRecords.produce(cluster::newProducer, topic, 1, 100, 15);
      assertEquals(10, regrown.get(0).offset());

      var next = consumer.next(20, 25, 60_000, skip); // the next trigger's range, on the same pooled consumer
      assertEquals(20, next.offset());
      assertArrayEquals(regrown.get(10).value(), next.value(), "a record of the regrown log");
    } finally {
      ConsumerPool.get().discard(consumer);
    }
    // the regrown log's records at [10, 20) lie below the read position
    assertTheLedgerHoldsTheTruncationOnce(ledger);
  }

  private StreamingQuery toTable(String topic, Path table, Path checkpoint, Trigger trigger, String... options) {
    var reader = spark.readStream().format("zdl-kafka").option("kafka.bootstrap.servers", cluster.bootstrapServers())
        .option("subscribe", topic).option("startingOffsets", "earliest");
    for (int i = 0; i < options.length; i += 2) {
      reader = reader.option(options[i], options[i + 1]);
    }
    return start(reader.load().writeStream().format("zdl-delta").option("checkpointLocation", checkpoint.toString())
        .trigger(trigger).option("path", table.toString()));
  }

  private long logEnd(TopicPartition tp) throws Exception {
    return cluster.admin().listOffsets(Map.of(tp, OffsetSpec.latest())).all().get(15, TimeUnit.SECONDS).get(tp)
        .offset();
  }

  @Test
  void aLogTruncatedByUncleanElectionStopsByDefaultAndIsRecordedOnceWhenSkipping() throws Exception {
    String topic = unique("unclean");
    TopicPartition tp = new TopicPartition(topic, 0);
    // KRaft 3.3's controller ignores this topic setting (it elects uncleanly only when asked, below);
    // set anyway, as an operator would
    cluster.createTopic(topic, 1, 3, Map.of("unclean.leader.election.enable", "true", "min.insync.replicas", "1"));
    List<Produced> a = TestRecords.produce(cluster::newProducer, topic, 1, 0, 10); // on all three replicas
    int leader = cluster.leaderOf(tp).orElseThrow();
    List<Integer> followers = cluster.describe(tp).replicas().stream().map(Node::id).filter(id -> id != leader)
        .collect(Collectors.toList());
    int stale = followers.get(0);
    int other = followers.get(1);

    cluster.kill(stale); // falls behind: out of the ISR once fenced
    cluster.await("broker " + stale + " out of the ISR",
        () -> cluster.describe(tp).isr().stream().noneMatch(n -> n.id() == stale));
    List<Produced> b = TestRecords.produce(cluster::newProducer, topic, 1, 10, 10); // offsets 10..19, not on stale

    Path table = newDir("table");
    Path checkpoint = newDir("cp");
    awaitTermination(toTable(topic, table, checkpoint, Trigger.AvailableNow()), 180);
    List<Produced> inTable = new ArrayList<>(a);
    inTable.addAll(b);
    assertEquals(TestRecords.canonical(inTable, false), rows(table));

    // the leader and the in-sync follower die; the stale follower comes back and is elected uncleanly
    cluster.kill(other);
    cluster.kill(leader);
    cluster.restart(stale);
    cluster.await("broker " + stale + " to lead " + tp, () -> {
      try {
        cluster.admin().electLeaders(ElectionType.UNCLEAN, Set.of(tp)).partitions().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // not yet: the controller may not count the restarted broker as alive yet
      }
      return cluster.leaderOf(tp).equals(java.util.Optional.of(stale));
    });
    assertEquals(10, logEnd(tp), "the new leader's log lacks [10, 20)");

    assertTheDefaultStopsNamingTheLostRange(topic, table, checkpoint);

    // skipping allowed: the query sees the truncated log, then new records take offsets 10..24
    String interval = spark.conf().get("spark.sql.streaming.noDataProgressEventInterval", "10000");
    spark.conf().set("spark.sql.streaming.noDataProgressEventInterval", "0"); // progress for triggers without data
    StreamingQuery lenient;
    try {
      lenient = toTable(topic, table, checkpoint, Trigger.ProcessingTime(300), "failOnDataLoss", "false");
    } finally {
      spark.conf().set("spark.sql.streaming.noDataProgressEventInterval", interval);
    }
    try {
      eventually(120, "the query to see the log end at 10", lenient, () -> sawLatest(lenient, topic, 10));
      List<Produced> c = TestRecords.produce(cluster::newProducer, topic, 1, 100, 15);
      assertEquals(10, c.get(0).offset(), "new records take the discarded offsets");
      eventually(120, "the records past the query's position", lenient,
          () -> rows(table).size() == inTable.size() + 5);
      inTable.addAll(c.subList(10, 15)); // offsets 20..24; 10..19 of the new log lie below the query's position
    } finally {
      lenient.stop();
    }
    assertEquals(TestRecords.canonical(inTable, false), rows(table), "every row once, none of [10, 20) twice");

    assertTheLedgerHoldsTheTruncationOnce(new LossLedger(checkpoint.resolve("sources").resolve("0").toString(),
        spark.sparkContext().hadoopConfiguration()));
    List<CommitSummary> commits = ZdlTables.zdlCommits(spark, table.toString());
    assertEquals(1, commits.get(commits.size() - 1).lost().size(), "the table's commit names the skipped range");
  }

  /**
   * The query is down while the log is cut back and grows past its position again: a restarted query
   * (fresh consumers, no memory of the old log) must still see that the log it resumes in is not the
   * one it read. The checkpoint's offsets carry the leader epoch of each position for that.
   */
  @Test
  void aLogTruncatedAndRegrownWhileTheQueryWasDownIsSeenOnRestart() throws Exception {
    String topic = unique("regrown-down");
    TopicPartition tp = new TopicPartition(topic, 0);
    cluster.createTopic(topic, List.of(1, 2), Map.of("unclean.leader.election.enable", "true",
        "min.insync.replicas", "1"));
    List<Produced> inTable = new ArrayList<>(TestRecords.produce(cluster::newProducer, topic, 1, 0, 10));
    inTable.addAll(writeWithout(tp, 2, 10, 10)); // offsets 10..19, lost with the election below

    Path table = newDir("regrown-down-table");
    Path checkpoint = newDir("regrown-down-cp");
    awaitTermination(toTable(topic, table, checkpoint, Trigger.AvailableNow()), 180);
    assertEquals(TestRecords.canonical(inTable, false), rows(table));

    // while the query is down: the log is cut back to 10 and grows past 20 again with other records
    cluster.kill(1);
    cluster.restart(2);
    electUncleanly(tp, 2);
    List<Produced> regrown = TestRecords.produce(cluster::newProducer, topic, 1, 100, 15);
    assertEquals(10, regrown.get(0).offset(), "new records take the discarded offsets");
    assertEquals(25, logEnd(tp));

    assertTheDefaultStopsNamingTheLostRange(topic, table, checkpoint);

    // skipping allowed: [10, 20) of the new log is recorded, and reading goes on at 20
    awaitTermination(toTable(topic, table, checkpoint, Trigger.AvailableNow(), "failOnDataLoss", "false"), 180);
    inTable.addAll(regrown.subList(10, 15));
    assertEquals(TestRecords.canonical(inTable, false), rows(table), "every row once, none of [10, 20) twice");
    assertTheLedgerHoldsTheTruncationOnce(new LossLedger(checkpoint.resolve("sources").resolve("0").toString(),
        spark.sparkContext().hadoopConfiguration()));
  }

  /** A restart with the default failOnDataLoss stops with LOG_TRUNCATED naming [10, 20), and commits nothing. */
  private void assertTheDefaultStopsNamingTheLostRange(String topic, Path table, Path checkpoint) {
    long commitsBefore = ZdlTables.zdlCommits(spark, table.toString()).size();
    StreamingQuery strict = toTable(topic, table, checkpoint, Trigger.AvailableNow());
    Exception e = assertThrows(Exception.class, () -> strict.awaitTermination(180_000));
    String message = fullMessage(e);
    assertTrue(message.contains("ZDL_DATA_LOSS.LOG_TRUNCATED")
        && message.contains("topic " + topic + " partition 0 offsets [10, 20)"), message);
    assertEquals(commitsBefore, ZdlTables.zdlCommits(spark, table.toString()).size());
  }

  /** The discarded log suffix [10, 20), recorded once as LOG_TRUNCATED. */
  private static void assertTheLedgerHoldsTheTruncationOnce(LossLedger ledger) {
    List<SkippedRange> recorded = ledger.all();
    assertEquals(1, recorded.size(), recorded.toString());
    assertEquals(LossCause.LOG_TRUNCATED, recorded.get(0).cause());
    assertEquals(10, recorded.get(0).fromOffset());
    assertEquals(20, recorded.get(0).untilOffset());
  }

  private List<String> rows(Path table) {
    List<Row> rows = spark.read().format("delta").load(table.toString()).collectAsList();
    return TestRecords.canonicalRows(rows);
  }

  /** Whether a trigger of {@code q} reported the partition's latest offset as {@code offset}. */
  private static boolean sawLatest(StreamingQuery q, String topic, long offset) {
    for (StreamingQueryProgress p : q.recentProgress()) {
      for (SourceProgress s : p.sources()) {
        String latest = s.latestOffset();
        if (latest != null && latest.contains("\"" + topic + "\":{\"0\":" + offset + "}")) {
          return true;
        }
      }
    }
    return false;
  }
}
