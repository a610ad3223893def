package io.zdl.it.badinput;

import static io.zdl.it.support.Queries.eventually;
import static io.zdl.it.support.Queries.fullMessage;
import static io.zdl.it.support.Queries.newDir;
import static io.zdl.it.support.Queries.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.it.support.Sources;
import io.zdl.it.support.TestRecords;
import io.zdl.it.support.TestRecords.Produced;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Streaming queries whose broker is not there, or goes away: they stop with a coded error within a
 * bounded time instead of hanging, and what was committed stays committed. (The batch read of an
 * unreachable broker is in SourceOptionsIT.)
 */
class UnreachableBrokerIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.dedicated(); // killed by a test

  /** Short client timeouts and 2 attempts: the bound the error must arrive within is what these add up to. */
  private static final String[] FAST_FAILURE = {"kafka.default.api.timeout.ms", "2000",
      "kafka.request.timeout.ms", "1000", "fetchOffset.numRetries", "1", "fetchOffset.retryIntervalMs", "100",
      "kafkaConsumer.pollTimeoutMs", "3000"};

  private final SparkSession spark = SparkTestSession.get();

  @Test
  void aStreamWhoseBrokerNeverAnswersStopsWithTheLookupCode() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // nobody listens there once the socket is closed
    }
    StreamingQuery q = withFastFailure(spark.readStream().format("zdl-kafka")
        .option("kafka.bootstrap.servers", "127.0.0.1:" + port).option("subscribe", "nowhere")).load()
        .writeStream().format("noop").option("checkpointLocation", newDir("cp").toString())
        .trigger(Trigger.ProcessingTime(100, TimeUnit.MILLISECONDS)).start();
    String message = awaitFailure(q);
    assertTrue(message.contains("ZDL_KAFKA_OFFSET_LOOKUP_FAILED") && message.contains("kafka.bootstrap.servers"),
        message);
  }

  @Test
  void aBrokerThatDiesUnderARunningStreamStopsItAndARestartLosesNothing() throws Exception {
    String topic = unique("dies");
    KAFKA.broker().createTopic(topic, 2);
    List<Produced> produced = new ArrayList<>(TestRecords.produce(KAFKA.broker(), topic, 2, 0, 60));
    Path table = newDir("table");
    Path checkpoint = newDir("cp");
    StreamingQuery q = withFastFailure(Sources.sinkSuiteStream(spark, KAFKA.broker(), topic, "includeHeaders", "true"))
        .load().writeStream().format("zdl-delta").option("checkpointLocation", checkpoint.toString())
        .trigger(Trigger.ProcessingTime(200, TimeUnit.MILLISECONDS)).start(table.toString());
    eventually(180, "the first 60 records in the table", q, () -> rows(table) == produced.size());
    KAFKA.broker().kill();
    try {
      String message = awaitFailure(q);
      assertTrue(message.contains("ZDL_KAFKA_OFFSET_LOOKUP_FAILED") || message.contains("ZDL_KAFKA_FETCH_TIMEOUT"),
          message);
    } finally {
      KAFKA.broker().restart();
    }
    assertEquals(produced.size(), rows(table), "what was committed before the broker died stays");

    produced.addAll(TestRecords.produce(KAFKA.broker(), topic, 2, 60, 40));
    StreamingQuery again = Sources.sinkSuiteStream(spark, KAFKA.broker(), topic, "includeHeaders", "true").load()
        .writeStream().format("zdl-delta").option("checkpointLocation", checkpoint.toString())
        .trigger(Trigger.AvailableNow()).start(table.toString());
    io.zdl.it.support.Queries.awaitTermination(again, 180);
    assertEquals(TestRecords.canonical(produced, true),
        TestRecords.canonicalRows(spark.read().format("delta").load(table.toString()).collectAsList()));
  }

  private static DataStreamReader withFastFailure(DataStreamReader reader) {
    return reader.options(Sources.options(FAST_FAILURE));
  }

  /** Rows of the table; 0 before its first commit (Delta makes {@code _delta_log} a moment before the commit file). */
  private long rows(Path table) {
    java.io.File[] commits = table.resolve("_delta_log").toFile().listFiles((d, n) -> n.endsWith(".json"));
    return commits != null && commits.length > 0 ? spark.read().format("delta").load(table.toString()).count() : 0;
  }

  /** Waits (bounded: a minute is far more than the client timeouts add up to) for the query to fail. */
  private static String awaitFailure(StreamingQuery q) throws Exception {
    try {
      boolean ended = q.awaitTermination(TimeUnit.SECONDS.toMillis(60));
      assertTrue(ended, "the query still runs a minute after its broker became unreachable");
    } catch (org.apache.spark.sql.streaming.StreamingQueryException e) {
      return fullMessage(e);
    } finally {
      q.stop();
    }
    throw new AssertionError("the query ended without an error although its broker is unreachable");
  }
}
