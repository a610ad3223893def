package io.zdl.it.logstore;

import static io.zdl.it.support.Queries.newDir;
import static io.zdl.it.support.Queries.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.logstore.S3ConditionalPutLogStore;
import io.zdl.it.support.TestRecords;
import io.zdl.it.support.TestRecords.Produced;
import io.zdl.it.support.ZdlTables;
import io.zdl.spark.delta.CommitSummary;
import io.zdl.spark.delta.TableOffsets;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.pipeline.PipelineProcess;
import io.zdl.test.s3.ForwardedS3BucketExtension;
import io.zdl.test.spark.SparkTestSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two zdl-kafka to zdl-delta queries, each in its own JVM and reading its own topic, write one Delta table
 * on S3 at the same time through the zdl log store, both with the default sink id: every record of both
 * topics is in the table exactly once, and the table's offsets for both topics are where Kafka ends. The
 * queries also race to create the table.
 */
class TwoQueriesOneS3TableIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();
  @RegisterExtension
  static final ForwardedS3BucketExtension S3 = ForwardedS3BucketExtension.bucket("zdl-2q-");

  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(8);

  private final SparkSession spark = SparkTestSession.get();

  private static String topicOf(CommitSummary c) {
    return c.added().isEmpty() ? "" : c.added().get(0).topicPartition().topic();
  }

  @Test
  void twoQueriesOnDifferentTopicsIntoOneS3TableAreBothExactlyOnce() {
    String table = S3.uri(unique("events"));
    Path dir = newDir("two-queries");
    List<Produced> produced = new ArrayList<>();
    List<String> topics = List.of(unique("orders"), unique("payments"));
    for (String topic : topics) {
      KAFKA.broker().createTopic(topic, 3);
      produced.addAll(TestRecords.produce(KAFKA.broker(), topic, 3, 0, 80));
    }

    List<PipelineProcess> queries = new ArrayList<>();
    try {
      for (int i = 0; i < topics.size(); i++) {
        List<String> args = new ArrayList<>(List.of("bootstrap=" + KAFKA.broker().bootstrapServers(),
            "topic=" + topics.get(i), "table=" + table, "checkpoint=" + dir.resolve("cp" + i),
            "workDir=" + dir.resolve("work" + i), "maxOffsetsPerTrigger=15",
            "conf.spark.delta.logStore.s3a.impl=" + S3ConditionalPutLogStore.class.getName()));
        args.addAll(S3.childSparkConf());
        queries.add(PipelineProcess.start(dir.resolve("q" + i + ".log"), Map.of(), args));
      }
      for (int i = 0; i < queries.size(); i++) {
        PipelineProcess q = queries.get(i);
        assertEquals(0, q.waitFor(RUN_TIMEOUT), "query " + i + " failed:\n" + q.logTail());
      }
    } finally {
      queries.forEach(PipelineProcess::close);
    }

    assertEquals(TestRecords.canonical(produced, true),
        TestRecords.canonicalRows(spark.read().format("delta").load(table).collectAsList()));
    assertEquals(ZdlTables.nextOffsets(produced), TableOffsets.committed(spark, table, "default"));
    List<CommitSummary> commits = ZdlTables.zdlCommits(spark, table);
    assertEquals(160, ZdlTables.addedOffsets(commits), "no offset committed twice");
    for (String topic : topics) {
      assertTrue(commits.stream().anyMatch(c -> c.added().stream().anyMatch(r -> r.topicPartition().topic().equals(topic))),
          "commits of " + topic);
    }
    assertTrue(commits.size() >= 12, "both queries committed batch by batch (80 offsets at 15 per trigger: "
        + "6 batches each): " + commits.size());
    int switches = 0;
    for (int i = 1; i < commits.size(); i++) {
      if (!topicOf(commits.get(i)).equals(topicOf(commits.get(i - 1)))) {
        switches++;
      }
    }
    // a figure for the report, not an assertion: how much the two queries' commits interleaved
    System.err.printf("[zdl-test] two queries, one S3 table: %d zdl commits, the writing query changed %d times%n",
        commits.size(), switches);
  }
}
