package io.zdl.it.source;

import static io.zdl.it.support.Queries.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zdl.it.support.Queries;
import io.zdl.it.support.TestRecords;
import io.zdl.shaded.org.apache.kafka.common.TopicPartition;
import io.zdl.spark.kafka.ZdlKafkaSourceProvider;
import io.zdl.spark.kafka.offset.KafkaSourceOffset;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.SupportsAdmissionControl;
import org.apache.spark.sql.connector.read.streaming.SupportsTriggerAvailableNow;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code Trigger.AvailableNow} through the DataSource V2 calls Spark makes, in its order, against a real
 * broker: {@code prepareForTriggerAvailableNow} at the run's start, then {@code latestOffset} per batch.
 */
class AvailableNowIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  /** The stream registers its metrics with the active session's SparkContext. */
  private final SparkSession spark = SparkTestSession.get();

  /** The positions of the end the stream chooses (its leader epochs aside). */
  private static Map<TopicPartition, Long> endOf(MicroBatchStream stream, Offset start) {
    return ((KafkaSourceOffset) ((SupportsAdmissionControl) stream).latestOffset(start, ReadLimit.allAvailable()))
        .partitionOffsets();
  }

  @Test
  void aRunReadsThePartitionsItStartsFromThoughTheBrokerDidNotListThemWhenTheRunStarted() throws Exception {
    // the run restarts from a checkpoint that read partition 0 up to offset 0. When Spark prepares the run,
    // the broker answers UNKNOWN_TOPIC_OR_PARTITION for the topic, as a broker that metadata has not reached
    // yet does; by the run's first batch it lists the partition, which holds 3 records
    String topic = unique("available-now-late");
    MicroBatchStream stream = stream(topic);
    try {
      Offset start = new KafkaSourceOffset(Map.of(new TopicPartition(topic, 0), 0L));
      ((SupportsTriggerAvailableNow) stream).prepareForTriggerAvailableNow();
      KAFKA.broker().createTopic(topic, 1);
      TestRecords.produce(KAFKA.broker(), topic, 1, 0, 3);
      var threeRecords = Map.of(new TopicPartition(topic, 0), 3L);
      assertEquals(threeRecords, endOf(stream, start));
      // the run's end stays where its first batch found it: records produced since are the next run's
      TestRecords.produce(KAFKA.broker(), topic, 1, 3, 2);
      assertEquals(threeRecords, endOf(stream, start));
    } finally {
      stream.stop();
    }
  }

  private MicroBatchStream stream(String topic) {
    Map<String, String> options = new HashMap<>();
    options.put("kafka.bootstrap.servers", KAFKA.broker().bootstrapServers());
    options.put("subscribe", topic);
    options.put("startingOffsets", "earliest");
    options.put("fetchOffset.numRetries", "5");
    options.put("fetchOffset.retryIntervalMs", "1000");
    CaseInsensitiveStringMap map = new CaseInsensitiveStringMap(options);
    ZdlKafkaSourceProvider provider = new ZdlKafkaSourceProvider();
    Table table = provider.getTable(provider.inferSchema(map), new Transform[0], options);
    return ((SupportsRead) table).newScanBuilder(map).build()
        .toMicroBatchStream(Queries.newDir("available-now-cp").toString());
  }
}
