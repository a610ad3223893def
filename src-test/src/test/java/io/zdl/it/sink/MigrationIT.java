package io.zdl.it.sink;

import static io.zdl.it.support.Queries.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.support.Sources;
import io.zdl.it.support.TestRecords;
import io.zdl.it.support.TestRecords.Produced;
import io.zdl.it.support.ZdlTables;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The procedure of project-docs/migration.md: take over a format("kafka") + Delta sink query and its table. */
class MigrationIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  private final SparkSession spark = SparkTestSession.get();

  @Test
  void aBuiltInKafkaToDeltaQueryIsTakenOverWithoutGapOrDuplicate() throws Exception {
    String topic = unique("migrate");
    KAFKA.broker().createTopic(topic, 3);
    List<Produced> produced = new ArrayList<>(TestRecords.produce(KAFKA.broker(), topic, 3, 0, 120));
    Path table = newDir("table");
    Path oldCheckpoint = newDir("cp-old");
    StreamingQuery old = spark.readStream().format("kafka")
        .option("kafka.bootstrap.servers", KAFKA.broker().bootstrapServers()).option("subscribe", topic)
        .option("startingOffsets", "earliest").option("maxOffsetsPerTrigger", "50").load()
        .writeStream().format("delta").option("checkpointLocation", oldCheckpoint.toString())
        .trigger(Trigger.AvailableNow()).start(table.toString());
    awaitTermination(old, 300);
    produced.addAll(TestRecords.produce(KAFKA.broker(), topic, 3, 120, 60));

    // the old query's last committed batch: its offsets/N ends with the source's offset JSON
    long last = -1;
    for (long n = 0; n < 1000; n++) {
      if (Files.exists(oldCheckpoint.resolve("offsets").resolve(Long.toString(n)))
          && Files.exists(oldCheckpoint.resolve("commits").resolve(Long.toString(n)))) {
        last = n;
      }
    }
    assertTrue(last >= 0, "the old query committed batches");
    List<String> lines = Files.readAllLines(oldCheckpoint.resolve("offsets").resolve(Long.toString(last)));
    String position = lines.get(lines.size() - 1);
    assertTrue(position.startsWith("{\"" + topic + "\""), position);

    StreamingQuery zdl = Sources.stream(spark, KAFKA.broker(), "subscribe", topic,
        "startingOffsets", position, "maxOffsetsPerTrigger", "50").load()
        .writeStream().format("zdl-delta").option("checkpointLocation", newDir("cp-new").toString())
        .trigger(Trigger.AvailableNow()).start(table.toString());
    awaitTermination(zdl, 300);

    assertEquals(TestRecords.canonical(produced, false), TestRecords.canonicalRows(
        spark.read().format("delta").load(table.toString()).collectAsList()));
    assertEquals(60, ZdlTables.addedOffsets(ZdlTables.zdlCommits(spark, table.toString())));
    assertEquals(ZdlTables.nextOffsets(produced), io.zdl.spark.delta.TableOffsets.committed(spark, table.toString(),
        "default"), "from now on the table knows its offsets");
  }
}
