package io.zdl.it.sink;

import static io.zdl.it.support.Queries.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.support.Sources;
import io.zdl.it.support.TestRecords;
import io.zdl.it.support.TestRecords.Produced;
import io.zdl.it.support.ZdlTables;
import io.zdl.spark.delta.TableOffsets;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Resuming from the table, at its edges: partitions the table holds no record of, a table whose Delta
 * log expires positions, a topic recreated while the query was down, and a second sink id on the same
 * partitions. Each case loses or duplicates records silently unless the table and the sink say so.
 */
class ResumeFromTableIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  private final SparkSession spark = SparkTestSession.get();

  private static String topic(int partitions) {
    String topic = unique("resume");
    KAFKA.broker().createTopic(topic, partitions);
    return topic;
  }

  /** zdl-kafka on {@code topic} with no startingOffsets (the default, latest) unless {@code options} say so. */
  private Dataset<Row> source(String topic, String... options) {
    return Sources.stream(spark, KAFKA.broker(), "subscribe", topic, "maxOffsetsPerTrigger", "40")
        .options(Sources.options(options)).load();
  }

  private StreamingQuery start(Dataset<Row> stream, Path table, Path checkpoint, String... sinkOptions) {
    return availableNowIntoZdlDelta(stream, table, checkpoint, sinkOptions);
  }

  private void run(Dataset<Row> stream, Path table, Path checkpoint, String... sinkOptions) {
    awaitTermination(start(stream, table, checkpoint, sinkOptions), 300);
  }

  private String runExpectingFailure(Dataset<Row> stream, Path table, Path checkpoint, String... sinkOptions) {
    StreamingQuery q = start(stream, table, checkpoint, sinkOptions);
    StreamingQueryException e = assertThrows(StreamingQueryException.class, () -> q.awaitTermination(180_000));
    return fullMessage(e);
  }

  private List<String> tableRows(Path table) {
    return TestRecords.canonicalRows(spark.read().format("delta").load(table.toString()).collectAsList());
  }

  @Test
  void quietPartitionsAndPartitionsAddedWhileDownAreReadFromTheirStartOnResume() {
    String topic = topic(2);
    // the first query sees records in partition 0 only: partition 1 stays quiet
    List<Produced> produced = new ArrayList<>(TestRecords.produceToPartition(KAFKA.broker(), topic, 0, 0, 60));
    Path table = newDir("table");
    run(source(topic, "startingOffsets", "earliest"), table, newDir("cp"));
    assertEquals(Map.of(topic, Map.of(0, 60L, 1, 0L)), TableOffsets.committed(spark, table.toString(), "default"),
        "the batch planned partition 1 with an empty range: its position is in the table too");

    // down: the checkpoint is lost, the topic grows a partition, every partition gets records
    KAFKA.broker().addPartitions(topic, 3);
    produced.addAll(TestRecords.produceToPartition(KAFKA.broker(), topic, 0, 60, 30));
    produced.addAll(TestRecords.produceToPartition(KAFKA.broker(), topic, 1, 90, 30));
    produced.addAll(TestRecords.produceToPartition(KAFKA.broker(), topic, 2, 120, 30));

    // startingOffsets is left at its default (latest), as a user resuming would leave it
    run(source(topic, "startingOffsetsFromTable", table.toString()), table, newDir("cp"));

    assertEquals(TestRecords.canonical(produced, false), tableRows(table));
    assertEquals(150, ZdlTables.addedOffsets(ZdlTables.zdlCommits(spark, table.toString())));
  }

  @Test
  void aPartitionTheUserNamedKeepsItsStartWhenTheTableHoldsNoPositionForIt() {
    String topic = topic(2);
    List<Produced> first = TestRecords.produceToPartition(KAFKA.broker(), topic, 0, 0, 20);
    Path table = newDir("table");
    run(source(topic, "startingOffsets", "earliest", "maxOffsetsPerTrigger", "100"), table, newDir("cp"));
    KAFKA.broker().addPartitions(topic, 3);
    List<Produced> skippedOnPurpose = TestRecords.produceToPartition(KAFKA.broker(), topic, 2, 20, 10);

    // partition 2 is new to the table; the user names its start explicitly: latest
    run(source(topic, "startingOffsetsFromTable", table.toString(),
        "startingOffsets", "{\"" + topic + "\":{\"0\":-2,\"1\":-2,\"2\":-1}}"), table, newDir("cp"));

    assertEquals(TestRecords.canonical(first, false), tableRows(table));
    assertEquals(10L, TableOffsets.committed(spark, table.toString(), "default").get(topic).get(2),
        "partition 2 starts at latest, as named, past " + skippedOnPurpose.size() + " records");
  }

  @Test
  void aTableThatExpiresTransactionPositionsIsRefusedBeforeWritingAndOnResume() {
    String topic = topic(1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 20);
    Path table = newDir("table");
    run(source(topic, "startingOffsets", "earliest"), table, newDir("cp"));
    spark.sql("ALTER TABLE delta.`" + table + "` SET TBLPROPERTIES "
        + "('delta.setTransactionRetentionDuration' = 'interval 1 seconds')");
    long rows = spark.read().format("delta").load(table.toString()).count();
    TestRecords.produce(KAFKA.broker(), topic, 1, 20, 10);

    String sink = runExpectingFailure(source(topic, "startingOffsets", "earliest"), table, newDir("cp"));
    assertTrue(sink.contains("ZDL_SINK_TRANSACTION_RETENTION")
        && sink.contains("delta.setTransactionRetentionDuration"), sink);
    assertEquals(rows, spark.read().format("delta").load(table.toString()).count(), "nothing written");

    String resume = runExpectingFailure(source(topic, "startingOffsetsFromTable", table.toString()), table,
        newDir("cp"));
    assertTrue(resume.contains("ZDL_SINK_TRANSACTION_RETENTION")
        && resume.contains("delta.setTransactionRetentionDuration"), resume);
  }

  /**
   * A table holding records [0, 20) of {@code topic}, which is then deleted and created again with 50
   * records: more than the table's position 20, so the new topic's offsets look valid.
   */
  private Path tableOfATopicRecreatedSince(String topic) {
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 20);
    Path table = newDir("table");
    run(source(topic, "startingOffsets", "earliest"), table, newDir("cp"));
    KAFKA.broker().deleteTopic(topic);
    KAFKA.broker().createTopic(topic, 1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 100, 50);
    return table;
  }

  @Test
  void aTopicRecreatedWhileTheQueryWasDownIsDetectedOnResumeFromTheTable() {
    String topic = topic(1);
    Path table = tableOfATopicRecreatedSince(topic);

    String e = runExpectingFailure(source(topic, "startingOffsetsFromTable", table.toString()), table, newDir("cp"));
    assertTrue(e.contains("ZDL_DATA_LOSS.TOPIC_RECREATED") && e.contains("[0, 20)"), e);
    assertEquals(20, spark.read().format("delta").load(table.toString()).count(), "nothing of the new topic written");
  }

  @Test
  void aRecreatedTopicReadFromEarliestUnderTheSameSinkIdIsRefusedNotDroppedBelowTheOldPositions() {
    String topic = topic(1);
    Path table = tableOfATopicRecreatedSince(topic);

    // a new checkpoint from earliest: the table's position 20 belongs to the old topic
    String e = runExpectingFailure(source(topic, "startingOffsets", "earliest"), table, newDir("cp"));
    assertTrue(e.contains("ZDL_SINK_TOPIC_RECREATED") && e.contains("sinkId"), e);
    assertEquals(20, spark.read().format("delta").load(table.toString()).count(), "nothing of the new topic written");

    // the documented way: the new topic under a new sink id
    run(source(topic, "startingOffsets", "earliest"), table, newDir("cp"), "sinkId", "after-recreation");
    assertEquals(70, spark.read().format("delta").load(table.toString()).count());
  }

  @Test
  void aSecondSinkIdOnTheSamePartitionsIsRefusedUnlessAllowed() {
    String topic = topic(2);
    TestRecords.produce(KAFKA.broker(), topic, 2, 0, 40);
    Path table = newDir("table");
    run(source(topic, "startingOffsets", "earliest"), table, newDir("cp"), "sinkId", "live");

    String e = runExpectingFailure(source(topic, "startingOffsets", "earliest"), table, newDir("cp"),
        "sinkId", "backfill");
    assertTrue(e.contains("ZDL_SINK_SHARED_PARTITIONS") && e.contains("'live'") && e.contains("'backfill'")
        && e.contains("allowOtherSinkIds"), e);
    assertEquals(40, spark.read().format("delta").load(table.toString()).count(), "nothing written");

    run(source(topic, "startingOffsets", "earliest"), table, newDir("cp"), "sinkId", "backfill",
        "allowOtherSinkIds", "true");
    assertEquals(80, spark.read().format("delta").load(table.toString()).count(), "both sink ids hold the topic");
  }
}
