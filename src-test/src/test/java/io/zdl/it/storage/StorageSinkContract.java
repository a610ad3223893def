package io.zdl.it.storage;

import static io.zdl.it.support.Queries.awaitTermination;
import static io.zdl.it.support.Queries.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import io.zdl.it.support.Queries;
import io.zdl.it.support.Sources;
import io.zdl.it.support.TestRecords;
import io.zdl.it.support.TestRecords.Produced;
import io.zdl.it.support.ZdlTables;
import io.zdl.spark.delta.CommitSummary;
import io.zdl.spark.delta.TableOffsets;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * zdl-kafka into zdl-delta with table and checkpoint on a non-local store (the subclass says which):
 * exactly once in one zdl commit per batch, resume from the table after a lost checkpoint, and a
 * replayed batch that commits nothing. Checkpoint files are manipulated through Hadoop's FileSystem
 * on the store itself.
 */
abstract class StorageSinkContract {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.shared();

  protected final SparkSession spark = SparkTestSession.get();

  /** The directory URI under which this class's tables and checkpoints go, e.g. hdfs://127.0.0.1:PORT/zdl-it. */
  protected abstract String storeRoot();

  /** Makes the store fail every read and write (the data stays) until {@link #restoreStore()}. */
  protected abstract void interruptStore();

  /** Ends {@link #interruptStore()}; returns once the store serves again. */
  protected abstract void restoreStore();

  private String newLocation(String prefix) {
    return storeRoot() + "/" + unique(prefix);
  }

  private FileSystem fs(String location) {
    try {
      return new Path(location).getFileSystem(spark.sessionState().newHadoopConf());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private DataStreamReader source(String topic, String... options) {
    return Sources.sinkSuiteStream(spark, KAFKA.broker(), topic, options);
  }


  /** zdl-kafka -> zdl-delta with Trigger.AvailableNow until done; table and checkpoint are store URIs. */
  private void run(DataStreamReader source, String table, String checkpoint) throws Exception {
    StreamingQuery q = source.load().writeStream().format("zdl-delta")
        .option("checkpointLocation", checkpoint).trigger(Trigger.AvailableNow()).start(table);
    awaitTermination(q, 300);
  }

  private List<String> tableRows(String table) {
    return TestRecords.canonicalRows(spark.read().format("delta").load(table).collectAsList());
  }

  private long tableVersion(String table) {
    return DeltaTable.forPath(spark, table).history(1).select("version").head().getLong(0);
  }

  private List<CommitSummary> summaries(String table) {
    return ZdlTables.zdlCommits(spark, table);
  }

  /** Batch ids with an entry in the checkpoint's commit log (commits/N), read on the store. */
  private TreeSet<Long> committedBatches(String checkpoint) throws IOException {
    Path commits = new Path(checkpoint, "commits");
    TreeSet<Long> ids = new TreeSet<>();
    for (FileStatus st : fs(checkpoint).listStatus(commits)) {
      String name = st.getPath().getName();
      if (name.matches("\\d+")) {
        ids.add(Long.parseLong(name));
      }
    }
    return ids;
  }

  private static String topic(int partitions) {
    String topic = unique("storage");
    KAFKA.broker().createTopic(topic, partitions);
    return topic;
  }

  @Test
  void everyRecordLandsExactlyOnceInOneZdlCommitPerBatch() throws Exception {
    String topic = topic(3);
    List<Produced> produced = TestRecords.produce(KAFKA.broker(), topic, 3, 0, 200);
    String table = newLocation("table");
    String cp = newLocation("cp");
    run(source(topic, "includeHeaders", "true"), table, cp);

    assertEquals(TestRecords.canonical(produced, true), tableRows(table));
    assertTrue(fs(table).exists(new Path(table, "_delta_log/00000000000000000000.json")),
        "the Delta log is on the store");
    List<CommitSummary> commits = summaries(table);
    assertEquals(5, commits.size(), "200 offsets at 40 per batch");
    List<Long> batchIds = commits.stream().map(CommitSummary::batchId).toList();
    assertEquals(new ArrayList<>(committedBatches(cp)), batchIds, "one zdl commit for each batch Spark committed");
    for (CommitSummary c : commits) {
      assertTrue(c.gaps().isEmpty(), c.toJson());
    }
    assertEquals(200, ZdlTables.addedOffsets(commits));
    assertEquals(ZdlTables.nextOffsets(produced), TableOffsets.committed(spark, table, "default"));
  }

  @Test
  void aLostCheckpointResumesFromTheTable() throws Exception {
    String topic = topic(3);
    List<Produced> produced = new ArrayList<>(TestRecords.produce(KAFKA.broker(), topic, 3, 0, 150));
    String table = newLocation("table");
    String cp = newLocation("cp");
    run(source(topic), table, cp);
    assertTrue(fs(cp).delete(new Path(cp), true), "deleted " + cp);
    assertFalse(fs(cp).exists(new Path(cp)));
    produced.addAll(TestRecords.produce(KAFKA.broker(), topic, 3, 150, 90));

    run(source(topic, "startingOffsetsFromTable", table), table, newLocation("cp"));

    assertEquals(TestRecords.canonical(produced, false), tableRows(table));
    // the resumed query started where the table ended: no batch overlapped, none was skipped
    assertEquals(240, ZdlTables.addedOffsets(summaries(table)));
    assertEquals(ZdlTables.nextOffsets(produced), TableOffsets.committed(spark, table, "default"));
  }

  @Test
  void aStoreOutageMidStreamStopsTheQueryAndARestartAfterRecoveryWritesEveryRecordOnce() throws Exception {
    String topic = topic(2);
    List<Produced> produced = TestRecords.produce(KAFKA.broker(), topic, 2, 0, 400);
    String table = newLocation("table");
    String cp = newLocation("cp");
    // ten batches of 40: the outage starts after the second commit, in whatever step the query is then
    StreamingQuery q = source(topic).load().writeStream().format("zdl-delta").option("checkpointLocation", cp)
        .trigger(Trigger.ProcessingTime(200)).start(table);
    Throwable failure;
    try {
      Queries.eventually(240, "two zdl commits", q,
          () -> DeltaTable.isDeltaTable(spark, table) && summaries(table).size() >= 2);
      interruptStore();
      failure = assertThrows(StreamingQueryException.class, () -> q.awaitTermination(240_000),
          "the query must stop while it can neither read nor write its checkpoint and table");
    } finally {
      restoreStore();
      q.stop();
    }
    assertTrue(committedBatches(cp).size() < 10, "the outage came before the end: " + failure);

    run(source(topic), table, cp);

    assertEquals(TestRecords.canonical(produced, false), tableRows(table));
    assertEquals(400, ZdlTables.addedOffsets(summaries(table)), "no offset added twice");
    assertEquals(ZdlTables.nextOffsets(produced), TableOffsets.committed(spark, table, "default"));
  }

  @Test
  void aReplayedBatchAddsNoCommitAndNoRow() throws Exception {
    String topic = topic(2);
    List<Produced> produced = TestRecords.produce(KAFKA.broker(), topic, 2, 0, 100);
    String table = newLocation("table");
    String cp = newLocation("cp");
    run(source(topic), table, cp);
    int commitsBefore = summaries(table).size();
    long versionBefore = tableVersion(table);
    // a crash after the Delta commit and before Spark's commit log entry: Spark replays the batch
    long last = committedBatches(cp).last();
    FileSystem fs = fs(cp);
    assertTrue(fs.delete(new Path(cp, "commits/" + last), false));
    fs.delete(new Path(cp, "commits/." + last + ".crc"), false); // absent on stores without checksum files
    assertEquals(last - 1, committedBatches(cp).isEmpty() ? -1 : committedBatches(cp).last());

    run(source(topic), table, cp);

    assertEquals(last, committedBatches(cp).last(), "Spark ran batch " + last + " again");
    assertEquals(commitsBefore, summaries(table).size(), "the replay must not commit");
    assertEquals(versionBefore, tableVersion(table), "no Delta commit of any kind");
    assertEquals(TestRecords.canonical(produced, false), tableRows(table));
  }
}
