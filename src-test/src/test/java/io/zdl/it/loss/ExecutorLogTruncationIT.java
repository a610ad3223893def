package io.zdl.it.loss;

import static io.zdl.it.support.Queries.newDir;
import static io.zdl.it.support.Queries.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.support.TestRecords;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.consumer.ConsumerPool;
import io.zdl.spark.kafka.consumer.PartitionConsumer;
import io.zdl.spark.kafka.read.ReadCounters;
import io.zdl.spark.loss.DataLossPolicy;
import io.zdl.spark.loss.ExecutorLossRecorder;
import io.zdl.spark.loss.LossCause;
import io.zdl.spark.loss.LossLedger;
import io.zdl.spark.loss.SkippedRange;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An executor handed a range whose offsets the log no longer reaches: its end fell below the range
 * between planning and reading (unclean leader election, or the topic deleted and created again).
 * A real executor-side consumer asks the real broker for offsets past the log end, which the broker
 * answers with OFFSET_OUT_OF_RANGE although the log starts below them.
 */
class ExecutorLogTruncationIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  private final SparkSession spark = SparkTestSession.get();

  private Map<String, Object> consumerParams() {
    Map<String, Object> params = new HashMap<>();
    params.put("bootstrap.servers", KAFKA.broker().bootstrapServers());
    params.put("key.deserializer", "io.zdl.shaded.org.apache.kafka.common.serialization.ByteArrayDeserializer");
    params.put("value.deserializer", "io.zdl.shaded.org.apache.kafka.common.serialization.ByteArrayDeserializer");
    params.put("enable.auto.commit", "false");
    params.put("auto.offset.reset", "none");
    params.put("group.id", unique("truncated-group"));
    return params;
  }

  /** A topic whose log ends at 10, as one truncated below a range [20, 30) planned before. */
  private String truncatedTopic() {
    String topic = unique("truncated");
    KAFKA.broker().createTopic(topic, 1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 10);
    return topic;
  }

  @Test
  void withFailOnDataLossFalseARangePastTheLogEndIsRecordedAsTruncatedAndTheReadGoesOn() {
    String topic = truncatedTopic();
    Path ledgerDir = newDir("truncated-ledger");
    LossLedger ledger = new LossLedger(ledgerDir.toString(), spark.sparkContext().hadoopConfiguration());
    ReadCounters counters = ReadCounters.register(spark.sparkContext(), "executor truncation test");
    DataLossPolicy skip = new DataLossPolicy(false, SkippedRange.DetectedOn.EXECUTOR,
        new ExecutorLossRecorder(ledger, counters));
    PartitionConsumer consumer = ConsumerPool.get().acquire(consumerParams(),
        new io.zdl.shaded.org.apache.kafka.common.TopicPartition(topic, 0));
    try {
      assertNull(consumer.next(20, 30, 30_000, skip), "nothing of [20, 30) is left to read");
    } finally {
      ConsumerPool.get().discard(consumer);
    }
    List<SkippedRange> recorded = ledger.all();
    assertEquals(1, recorded.size(), recorded.toString());
    SkippedRange r = recorded.get(0);
    assertEquals(topic, r.topicPartition().topic());
    assertEquals(20, r.fromOffset());
    assertEquals(30, r.untilOffset());
    assertEquals(LossCause.LOG_TRUNCATED, r.cause());
    assertEquals(SkippedRange.DetectedOn.EXECUTOR, r.detectedOn());
    assertEquals(10, counters.snapshot().lostRecords);
  }

  @Test
  void byDefaultARangePastTheLogEndStopsWithLogTruncatedNamingTopicPartitionAndRange() {
    String topic = truncatedTopic();
    DataLossPolicy fail = new DataLossPolicy(true, SkippedRange.DetectedOn.EXECUTOR, null);
    PartitionConsumer consumer = ConsumerPool.get().acquire(consumerParams(),
        new io.zdl.shaded.org.apache.kafka.common.TopicPartition(topic, 0));
    try {
      ZdlException e = assertThrows(ZdlException.class, () -> consumer.next(20, 30, 30_000, fail));
      assertTrue(e.getMessage().contains("ZDL_DATA_LOSS.LOG_TRUNCATED")
          && e.getMessage().contains("topic " + topic + " partition 0 offsets [20, 30)")
          && e.getMessage().contains("failOnDataLoss=false"), e.getMessage());
    } finally {
      ConsumerPool.get().discard(consumer);
    }
  }
}
