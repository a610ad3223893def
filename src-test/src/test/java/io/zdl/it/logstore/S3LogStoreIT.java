package io.zdl.it.logstore;

import static io.zdl.it.support.Queries.unique;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.model.S3ObjectSummary;
import io.delta.tables.DeltaTable;
import io.zdl.logstore.S3ConditionalPutLogStore;
import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.test.s3.S3Forwarder;
import io.zdl.test.s3.S3Server;
import io.zdl.test.s3.S3ServerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The zdl S3 log store against a real S3 API server (s3proxy) on loopback: create-once semantics, racing
 * writers of one version, per-bucket settings, and an endpoint that ignores If-None-Match (a forwarder
 * drops the header) refused before anything is committed, both called directly and through Delta.
 */
class S3LogStoreIT {
  @RegisterExtension
  static final S3ServerExtension S3 = S3ServerExtension.shared();

  static final String LOG_STORE_KEY = "spark.delta.logStore.s3a.impl";
  private static final String BUCKET = "zdl-ls-" + java.util.UUID.randomUUID().toString().substring(0, 8);

  private static S3Server plainServer; // checks no signature: the forwarder below alters signed headers
  private static S3Forwarder dropping;
  private static S3Forwarder atomic;
  private static S3Forwarder conflicting;

  @BeforeAll
  static void servers() {
    S3.server().createBucket(BUCKET);
    S3.server().configure(SparkTestSession.get());
    plainServer = S3Server.startWithoutAuthorization(SparkTestSession.workDir().resolve(unique("s3-noauth")));
    dropping = S3Forwarder.start(plainServer.endpoint(), S3Forwarder.Mode.DROP_IF_NONE_MATCH);
    atomic = S3Forwarder.start(S3.server().endpoint(), S3Forwarder.Mode.ATOMIC_CONDITIONAL_PUTS);
    conflicting = S3Forwarder.start(S3.server().endpoint(), S3Forwarder.Mode.CONFLICT_409);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {conflicting, atomic, dropping, plainServer}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // best effort
      }
    }
  }

  private static Configuration conf() {
    Configuration c = new Configuration();
    S3.server().configure(c);
    return c;
  }

  private static Path commit(String table, long version) {
    return new Path(String.format("s3a://%s/%s/_delta_log/%020d.json", BUCKET, table, version));
  }

  private static Iterator<String> lines(String... l) {
    return List.of(l).iterator();
  }

  private static byte[] object(Path p) throws IOException {
    String key = p.toUri().getPath().substring(1);
    return S3.server().client().getObject(p.toUri().getHost(), key).getObjectContent().readAllBytes();
  }

  private static List<String> keysUnder(AmazonS3 s3, String bucket, String prefix) {
    return s3.listObjectsV2(bucket, prefix).getObjectSummaries().stream().map(S3ObjectSummary::getKey)
        .collect(Collectors.toList());
  }

  @Test
  void aVersionIsCreatedOnceAndALaterWriterGetsFileAlreadyExists() throws Exception {
    Configuration conf = conf();
    S3ConditionalPutLogStore store = new S3ConditionalPutLogStore(conf);
    String table = unique("once");
    store.write(commit(table, 0), lines("{\"a\":0}", "{\"b\":0}"), false, conf);
    store.write(commit(table, 1), lines("{\"a\":1}"), false, conf);

    assertThrows(FileAlreadyExistsException.class,
        () -> store.write(commit(table, 1), lines("{\"other\":1}"), false, conf));

    assertArrayEquals("{\"a\":1}\n".getBytes(StandardCharsets.UTF_8), object(commit(table, 1)), "the first stays");
    List<String> read = new ArrayList<>();
    store.read(commit(table, 0), conf).forEachRemaining(read::add);
    assertEquals(List.of("{\"a\":0}", "{\"b\":0}"), read);
    List<String> listed = new ArrayList<>();
    store.listFrom(commit(table, 0), conf).forEachRemaining((FileStatus f) -> listed.add(f.getPath().getName()));
    assertEquals(List.of("00000000000000000000.json", "00000000000000000001.json"), listed);
    assertEquals(2, keysUnder(S3.server().client(), BUCKET, table + "/_delta_log/").size(),
        "the probe object is gone");
    assertFalse(store.isPartialWriteVisible(commit(table, 0), conf));
  }

  @Test
  void aRepeatedPutOfTheSameCommitIsNotAConflictAndOverwriteReplaces() throws Exception {
    Configuration conf = conf();
    S3ConditionalPutLogStore store = new S3ConditionalPutLogStore(conf);
    String table = unique("same");
    // what an SDK retry after a timed-out but successful PUT looks like: the same bytes already there
    store.write(commit(table, 0), lines("{\"txn\":\"t-1\"}"), false, conf);
    store.write(commit(table, 0), lines("{\"txn\":\"t-1\"}"), false, conf);

    Path last = new Path(String.format("s3a://%s/%s/_delta_log/_last_checkpoint", BUCKET, table));
    store.write(last, lines("{\"version\":10}"), true, conf);
    store.write(last, lines("{\"version\":20}"), true, conf);
    assertArrayEquals("{\"version\":20}\n".getBytes(StandardCharsets.UTF_8), object(last));
  }

  @Test
  void ofWritersRacingForOneVersionExactlyOneWinsAndItsCommitIsTheOneStored() throws Exception {
    Configuration conf = conf();
    conf.set("fs.s3a.endpoint", atomic.endpoint()); // S3's atomic conditional PUT, see S3Forwarder
    String table = unique("race");
    int writers = 4;
    int versions = 15;
    CyclicBarrier start = new CyclicBarrier(writers);
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<List<Long>>> won = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int writer = w;
        won.add(pool.submit(() -> {
          S3ConditionalPutLogStore store = new S3ConditionalPutLogStore(conf);
          List<Long> mine = new ArrayList<>();
          for (long v = 0; v < versions; v++) {
            start.await(60, TimeUnit.SECONDS);
            try {
              store.write(commit(table, v), lines("{\"writer\":" + writer + ",\"version\":" + v + "}"), false, conf);
              mine.add(v);
            } catch (FileAlreadyExistsException e) {
              // another writer created this version first
            }
          }
          return mine;
        }));
      }
      int[] winners = new int[versions];
      int[] winner = new int[versions];
      for (int w = 0; w < writers; w++) {
        for (long v : won.get(w).get(5, TimeUnit.MINUTES)) {
          winners[(int) v]++;
          winner[(int) v] = w;
        }
      }
      for (int v = 0; v < versions; v++) {
        assertEquals(1, winners[v], "writers told they created version " + v);
        assertArrayEquals(("{\"writer\":" + winner[v] + ",\"version\":" + v + "}\n").getBytes(StandardCharsets.UTF_8),
            object(commit(table, v)), "version " + v + " holds its winner's commit");
      }
      assertTrue(atomic.conditionalPutsSeen() >= writers * versions, "the writes went through the forwarder");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void a409WhileAnotherConditionalWriteIsInFlightIsRetriedAndBoundedRetriesEndInACodedError() throws Exception {
    Configuration conf = conf();
    conf.set("fs.s3a.endpoint", conflicting.endpoint());
    S3ConditionalPutLogStore store = new S3ConditionalPutLogStore(conf);
    String table = unique("conflict");
    store.write(commit(table, 0), lines("{\"v\":0}"), false, conf); // probes the table first, without 409s

    conflicting.injectConflicts(3);
    store.write(commit(table, 1), lines("{\"v\":1}"), false, conf);
    assertEquals(3, conflicting.conflictsInjected(), "three 409s, then the PUT went through");
    assertArrayEquals("{\"v\":1}\n".getBytes(StandardCharsets.UTF_8), object(commit(table, 1)));

    int before = conflicting.conflictsInjected();
    conflicting.injectConflicts(1_000);
    ZdlException e = assertThrows(ZdlException.class,
        () -> store.write(commit(table, 2), lines("{\"v\":2}"), false, conf));
    conflicting.injectConflicts(0);
    int answered = conflicting.conflictsInjected() - before;
    assertEquals(ZdlErrors.S3_COMMIT_CONFLICT, e.code());
    assertTrue(e.getMessage().contains("409") && e.getMessage().contains("00000000000000000002.json"), e.getMessage());
    // the first PUT and 8 retries; the SDK may add its own retries (fs.s3a.attempts.maximum=3 here) to each
    assertTrue(answered >= 9 && answered <= 9 * (1 + 3), "409s answered: " + answered);
    assertEquals(List.of(), keysUnder(S3.server().client(), BUCKET, table + "/_delta_log/00000000000000000002"),
        "nothing committed");
  }

  @Test
  void perBucketSettingsWinOverTheGlobalOnes() throws Exception {
    Configuration conf = conf();
    conf.set("fs.s3a.endpoint", "http://127.0.0.1:1"); // nothing listens there
    conf.set("fs.s3a.bucket." + BUCKET + ".endpoint", S3.server().endpoint());
    String table = unique("bucketconf");
    new S3ConditionalPutLogStore(conf).write(commit(table, 0), lines("{}"), false, conf);
    assertNotNull(object(commit(table, 0)));
  }

  @Test
  void anEndpointThatIgnoresIfNoneMatchIsRefusedBeforeAnyCommitIsWritten() {
    String bucket = BUCKET + "-nc";
    plainServer.createBucket(bucket);
    Configuration conf = conf();
    conf.set("fs.s3a.bucket." + bucket + ".endpoint", dropping.endpoint());
    Path v0 = new Path("s3a://" + bucket + "/t/_delta_log/00000000000000000000.json");
    int before = dropping.conditionalPutsSeen();

    ZdlException e = assertThrows(ZdlException.class,
        () -> new S3ConditionalPutLogStore(conf).write(v0, lines("{}"), false, conf));

    assertEquals(ZdlErrors.S3_CONDITIONAL_WRITE_UNSUPPORTED, e.code());
    assertTrue(e.getMessage().contains("does not support conditional writes")
        && e.getMessage().contains(dropping.endpoint()) && e.getMessage().contains("S3DynamoDBLogStore"), e.getMessage());
    assertTrue(dropping.conditionalPutsSeen() - before >= 2, "the forwarder stripped the probe's headers");
    assertEquals(List.of(), keysUnder(plainServer.client(), bucket, "t/_delta_log/"), "no commit and no probe left");
  }

  @Test
  void deltaCommitsThroughTheStoreAndFailsClearlyWhereConditionalWritesAreIgnored() throws Exception {
    SparkSession spark = SparkTestSession.get();
    String bucket = BUCKET + "-nd";
    plainServer.createBucket(bucket);
    spark.sparkContext().hadoopConfiguration().set("fs.s3a.bucket." + bucket + ".endpoint", dropping.endpoint());
    // Delta reads the log store class from the live SparkConf when it opens a table: set it for this test only
    SparkConf live = SparkEnv.get().conf();
    live.set(LOG_STORE_KEY, S3ConditionalPutLogStore.class.getName());
    try {
      String good = "s3a://" + BUCKET + "/" + unique("delta");
      spark.range(5).write().format("delta").save(good);
      spark.range(5, 8).write().format("delta").mode("append").save(good);
      assertEquals(8, spark.read().format("delta").load(good).count());
      assertEquals(2, DeltaTable.forPath(spark, good).history().count());

      String bad = "s3a://" + bucket + "/" + unique("delta");
      Exception e = assertThrows(Exception.class, () -> spark.range(5).write().format("delta").save(bad));
      ZdlException cause = causeOf(e);
      assertNotNull(cause, "expected a ZdlException in the causes of " + e);
      assertEquals(ZdlErrors.S3_CONDITIONAL_WRITE_UNSUPPORTED, cause.code());
      assertFalse(DeltaTable.isDeltaTable(spark, bad), "nothing committed");
    } finally {
      live.remove(LOG_STORE_KEY);
    }
  }

  private static ZdlException causeOf(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof ZdlException) {
        return (ZdlException) c;
      }
    }
    return null;
  }
}
