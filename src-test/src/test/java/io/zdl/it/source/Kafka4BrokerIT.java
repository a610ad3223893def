package io.zdl.it.source;

import static io.zdl.it.support.Queries.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.support.Sources;
import io.zdl.it.support.TestRecords;
import io.zdl.it.support.TestRecords.Produced;
import io.zdl.it.support.ZdlTables;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The source's core cases against a Kafka 4.x broker (KRaft, the broker line users now run), beside the
 * 3.3.2 broker every other suite uses: a streaming read with every field, a restart from the checkpoint,
 * the built-in source as oracle, and loss stopping the query.
 */
class Kafka4BrokerIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.sharedKafka4();

  private final SparkSession spark = SparkTestSession.get();

  private Dataset<Row> stream(String format, String topic, String... options) {
    return spark.readStream().format(format).option("kafka.bootstrap.servers", KAFKA.broker().bootstrapServers())
        .option("subscribe", topic).option("startingOffsets", "earliest").options(Sources.options(options)).load();
  }

  private StreamingQuery toTable(String topic, Path table, Path checkpoint, String... options) {
    return start(stream("zdl-kafka", topic, options).writeStream().format("zdl-delta")
        .option("checkpointLocation", checkpoint.toString()).trigger(Trigger.AvailableNow())
        .option("path", table.toString()));
  }

  private List<String> tableRows(Path table) {
    return TestRecords.canonicalRows(spark.read().format("delta").load(table.toString()).collectAsList());
  }

  @Test
  void onAKafka4BrokerAStreamReadsEveryRecordWithAllFieldsAsTheBuiltInSourceDoes() {
    String topic = unique("k4exact");
    KAFKA.broker().createTopic(topic, 3);
    List<Produced> produced = TestRecords.produce(KAFKA.broker(), topic, 3, 0, 300);

    List<String> zdl = TestRecords.canonicalRows(readAvailableNow(
        stream("zdl-kafka", topic, "includeHeaders", "true", "maxOffsetsPerTrigger", "100"), newDir("cp")));
    assertEquals(TestRecords.canonical(produced, true), zdl);
    List<String> oracle = TestRecords.canonicalRows(readAvailableNow(
        stream("kafka", topic, "includeHeaders", "true", "maxOffsetsPerTrigger", "100"), newDir("cp-kafka")));
    assertEquals(oracle, zdl);
  }

  @Test
  void onAKafka4BrokerARestartFromTheCheckpointWritesEveryRecordOnce() {
    String topic = unique("k4restart");
    KAFKA.broker().createTopic(topic, 2);
    List<Produced> produced = new ArrayList<>(TestRecords.produce(KAFKA.broker(), topic, 2, 0, 100));
    Path table = newDir("table");
    Path checkpoint = newDir("cp");
    awaitTermination(toTable(topic, table, checkpoint, "maxOffsetsPerTrigger", "30"), 180);

    produced.addAll(TestRecords.produce(KAFKA.broker(), topic, 2, 100, 60));
    awaitTermination(toTable(topic, table, checkpoint, "maxOffsetsPerTrigger", "30"), 180);

    assertEquals(TestRecords.canonical(produced, false), tableRows(table));
    assertEquals(produced.size(), ZdlTables.addedOffsets(ZdlTables.zdlCommits(spark, table.toString())),
        "no range may be committed twice");
  }

  @Test
  void onAKafka4BrokerRecordsDeletedBeforeTheQueryReadThemStopItNamingTheRange() throws Exception {
    String topic = unique("k4loss");
    KAFKA.broker().createTopic(topic, 1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 30);
    Path table = newDir("table");
    Path checkpoint = newDir("cp");
    awaitTermination(toTable(topic, table, checkpoint), 180);

    TestRecords.produce(KAFKA.broker(), topic, 1, 30, 30);
    KAFKA.broker().admin().deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(45)))
        .all().get();
    long commitsBefore = ZdlTables.zdlCommits(spark, table.toString()).size();

    StreamingQuery strict = toTable(topic, table, checkpoint);
    Exception e = assertThrows(Exception.class, () -> strict.awaitTermination(180_000));
    String message = fullMessage(e);
    assertTrue(message.contains("ZDL_DATA_LOSS.OFFSETS_OUT_OF_RANGE")
        && message.contains("topic " + topic + " partition 0 offsets [30, 45)"), message);
    assertEquals(commitsBefore, ZdlTables.zdlCommits(spark, table.toString()).size(), "nothing may be written");
  }
}
