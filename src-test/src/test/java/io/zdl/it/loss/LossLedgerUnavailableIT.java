package io.zdl.it.loss;

import static io.zdl.it.support.Queries.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.support.Sources;
import io.zdl.it.support.TestRecords;
import io.zdl.it.support.TestRecords.Produced;
import io.zdl.it.support.ZdlTables;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With failOnDataLoss=false, a loss ledger that cannot be written stops the batch: nothing is skipped
 * without a trace. Tests run as root, where permissions do not stop writes, so the ledger's
 * directory is made unwritable by a regular file standing in its place (as a broken or full disk would).
 */
class LossLedgerUnavailableIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  private final SparkSession spark = SparkTestSession.get();

  private StreamingQuery toTable(String topic, Path table, Path checkpoint, String... sourceOptions) {
    return availableNowIntoZdlDelta(Sources.stream(spark, KAFKA.broker(), "subscribe", topic, "startingOffsets",
        "earliest").options(Sources.options(sourceOptions)).load(), table, checkpoint);
  }

  @Test
  void aLossTheDriverCannotRecordStopsTheBatchAndTheTableKeepsItsRows() throws Exception {
    String topic = unique("ledger-file");
    KAFKA.broker().createTopic(topic, 1);
    List<Produced> produced = new ArrayList<>(TestRecords.produce(KAFKA.broker(), topic, 1, 0, 20));
    Path table = newDir("table");
    Path checkpoint = newDir("cp");
    awaitTermination(toTable(topic, table, checkpoint, "failOnDataLoss", "false"), 180);

    produced.addAll(TestRecords.produce(KAFKA.broker(), topic, 1, 20, 20));
    KAFKA.broker().admin().deleteRecords(Map.of(new TopicPartition(topic, 0), RecordsToDelete.beforeOffset(30)))
        .all().get();
    Path ledgerDir = checkpoint.resolve("sources").resolve("0").resolve(LossLedger.DIR_NAME);
    Files.write(ledgerDir, new byte[] {1});

    long versionsBefore = ZdlTables.zdlCommits(spark, table.toString()).size();
    StreamingQuery q = toTable(topic, table, checkpoint, "failOnDataLoss", "false");
    Exception e = assertThrows(Exception.class, () -> q.awaitTermination(180_000));
    String message = fullMessage(e);
    assertTrue(message.contains("ZDL_LOSS_LEDGER_UNAVAILABLE") && message.contains("[20, 30)")
        && message.contains(LossLedger.DIR_NAME), message);
    assertEquals(versionsBefore, ZdlTables.zdlCommits(spark, table.toString()).size(), "nothing committed");

    // once the ledger can be written, the skip is recorded and the query goes on
    Files.delete(ledgerDir);
    awaitTermination(toTable(topic, table, checkpoint, "failOnDataLoss", "false"), 180);
    List<SkippedRange> recorded = new LossLedger(checkpoint.resolve("sources").resolve("0").toString(),
        spark.sparkContext().hadoopConfiguration()).all();
    assertEquals(1, recorded.size(), recorded.toString());
    assertEquals(20, recorded.get(0).fromOffset());
    assertEquals(30, recorded.get(0).untilOffset());
    List<String> expected = TestRecords.canonical(
        produced.stream().filter(p -> p.offset() < 20 || p.offset() >= 30).toList(), false);
    assertEquals(expected, TestRecords.canonicalRows(spark.read().format("delta").load(table.toString())
        .collectAsList()));
  }

  @Test
  void aLossAnExecutorCannotRecordStopsTheReadWithTheCodedError() throws Exception {
    String topic = unique("ledger-file-exec");
    KAFKA.broker().createTopic(topic, 1);
    TestRecords.produce(KAFKA.broker(), topic, 1, 0, 10);
    Path source = newDir("source");
    Files.write(source.resolve(LossLedger.DIR_NAME), new byte[] {1});
    LossLedger ledger = new LossLedger(source.toString(), spark.sparkContext().hadoopConfiguration());
    ReadCounters counters = ReadCounters.register(spark.sparkContext(), "unwritable ledger test");
    DataLossPolicy skip = new DataLossPolicy(false, SkippedRange.DetectedOn.EXECUTOR,
        new ExecutorLossRecorder(ledger, counters));
    Map<String, Object> params = new HashMap<>();
    params.put("bootstrap.servers", KAFKA.broker().bootstrapServers());
    params.put("key.deserializer", "io.zdl.shaded.org.apache.kafka.common.serialization.ByteArrayDeserializer");
    params.put("value.deserializer", "io.zdl.shaded.org.apache.kafka.common.serialization.ByteArrayDeserializer");
    params.put("enable.auto.commit", "false");
    params.put("auto.offset.reset", "none");
    params.put("group.id", unique("ledger-file-group"));
    PartitionConsumer consumer = ConsumerPool.get().acquire(params,
        new io.zdl.shaded.org.apache.kafka.common.TopicPartition(topic, 0));
    try {
      // [20, 30) is past the log end (10): a truncation the executor must record before it skips
      ZdlException e = assertThrows(ZdlException.class, () -> consumer.next(20, 30, 30_000, skip));
      assertTrue(e.getMessage().contains("ZDL_LOSS_LEDGER_UNAVAILABLE") && e.getMessage().contains("[20, 30)"),
          e.getMessage());
    } finally {
      ConsumerPool.get().discard(consumer);
    }
    assertEquals(0, counters.snapshot().lostRecords, "nothing counted as skipped");
  }
}
