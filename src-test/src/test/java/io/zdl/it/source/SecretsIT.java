package io.zdl.it.source;

import static io.zdl.it.support.Queries.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.support.LogCapture;
import io.zdl.it.support.TestRecords;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Secret Kafka settings never show in logs, plans, progress reports, the checkpoint or the loss ledger. */
class SecretsIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();
  private static final String JAAS_SECRET = "jaas-s3cr3t-7f2a";
  private static final String SSL_SECRET = "ssl-s3cr3t-91bc";

  private final SparkSession spark = SparkTestSession.get();

  @Test
  void secretSettingsAppearInNoLogPlanProgressCheckpointOrLedger() throws Exception {
    String topic = unique("secrets");
    KAFKA.broker().createTopic(topic, 2);
    TestRecords.produce(KAFKA.broker(), topic, 2, 0, 20);
    // a loss to skip, so that the ledger has an entry to search
    KAFKA.broker().admin().deleteRecords(java.util.Map.of(new org.apache.kafka.common.TopicPartition(topic, 0),
        org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(3))).all().get();
    LogCapture logs = LogCapture.start();
    // both are ignored on a PLAINTEXT connection, so the query runs for real
    Dataset<Row> df = spark.readStream().format("zdl-kafka")
        .option("kafka.bootstrap.servers", KAFKA.broker().bootstrapServers()).option("subscribe", topic)
        .option("startingOffsets", "{\"" + topic + "\":{\"0\":0,\"1\":0}}") // below partition 0's log start
        .option("kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"svc\" password=\"" + JAAS_SECRET + "\";")
        .option("kafka.ssl.truststore.password", SSL_SECRET)
        .option("failOnDataLoss", "false")
        .option("commitOffsetsToGroup", unique("secrets-group"))
        .load();
    Path checkpoint = newDir("cp");
    StreamingQuery q = start(df.writeStream().format("noop").option("checkpointLocation", checkpoint.toString())
        .trigger(Trigger.AvailableNow()));
    try {
      awaitTermination(q, 120);
    } finally {
      logs.stop();
    }

    assertEquals(17, java.util.Arrays.stream(q.recentProgress()).mapToLong(StreamingQueryProgress::numInputRows).sum());
    StringBuilder seen = new StringBuilder();
    seen.append(logs.text()).append('\n');
    seen.append(df.queryExecution().toString()).append('\n');
    // what explain() prints for the running query: its last batch's plans
    // (by name: StreamingQueryWrapper moved to execution.streaming.runtime in Spark 4.1)
    Object execution = q.getClass().getMethod("streamingQuery").invoke(q);
    String lastExecution = String.valueOf(execution.getClass().getMethod("lastExecution").invoke(execution));
    assertTrue(lastExecution.contains(topic), lastExecution);
    seen.append(lastExecution).append('\n');
    for (StreamingQueryProgress p : q.recentProgress()) {
      seen.append(p.json()).append('\n');
    }
    seen.append(q.toString()).append('\n');
    try (Stream<Path> files = Files.walk(checkpoint)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        seen.append(Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1)).append('\n');
      }
    }
    // the searched text is real: plans, progress and offset log all name the topic
    assertTrue(seen.toString().contains("subscribe[" + topic + "]"), "plans or progress describe the source");
    assertTrue(seen.toString().contains("\"partitions\":{\"" + topic + "\""), "the offset log was read");
    assertTrue(seen.toString().contains("\"cause\":\"OFFSETS_OUT_OF_RANGE\""), "the ledger entry was read");
    assertTrue(logs.text().contains("sasl.jaas.config"), "the Kafka clients' config dumps were captured");
    assertTrue(logs.text().contains("Skipping topic " + topic), "zdl's own log lines were captured");
    for (String secret : List.of(JAAS_SECRET, SSL_SECRET)) {
      assertFalse(seen.toString().contains(secret), "secret found in logs, plans, progress, checkpoint or ledger");
    }
  }
}
