package io.zdl.it.source;

import static io.zdl.it.support.Queries.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.apache.spark.sql.execution.streaming.StreamingQueryWrapper;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Secret Kafka settings never show in plans, progress reports or the checkpoint. */
class SecretsIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();
  private static final String JAAS_SECRET = "jaas-s3cr3t-7f2a";
  private static final String SSL_SECRET = "ssl-s3cr3t-91bc";

  private final SparkSession spark = SparkTestSession.get();

  @Test
  void secretSettingsAppearInNoPlanProgressOrCheckpoint() throws Exception {
    String topic = unique("secrets");
    KAFKA.broker().createTopic(topic, 2);
    TestRecords.produce(KAFKA.broker(), topic, 2, 0, 20);
    // both are ignored on a PLAINTEXT connection, so the query runs for real
    Dataset<Row> df = spark.readStream().format("zdl-kafka")
        .option("kafka.bootstrap.servers", KAFKA.broker().bootstrapServers()).option("subscribe", topic)
        .option("startingOffsets", "earliest")
        .option("kafka.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required "
            + "username=\"svc\" password=\"" + JAAS_SECRET + "\";")
        .option("kafka.ssl.truststore.password", SSL_SECRET)
        .load();
    Path checkpoint = newDir("cp");
    StreamingQuery q = start(df.writeStream().format("noop").option("checkpointLocation", checkpoint.toString())
        .trigger(Trigger.AvailableNow()));
    awaitTermination(q, 120);

    assertEquals(20, java.util.Arrays.stream(q.recentProgress()).mapToLong(StreamingQueryProgress::numInputRows).sum());
    StringBuilder seen = new StringBuilder();
    seen.append(df.queryExecution().toString()).append('\n');
    // what explain() prints for the running query: its last batch's plans
    seen.append(((StreamingQueryWrapper) q).streamingQuery().lastExecution().toString()).append('\n');
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
    assertTrue(seen.toString().contains("{\"version\":1,\"partitions\":{\"" + topic + "\""), "the offset log was read");
    for (String secret : List.of(JAAS_SECRET, SSL_SECRET)) {
      assertFalse(seen.toString().contains(secret), "secret found in plans, progress or checkpoint");
    }
  }
}
