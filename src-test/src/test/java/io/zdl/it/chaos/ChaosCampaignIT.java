package io.zdl.it.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.zdl.it.support.Queries;
import io.zdl.test.hdfs.MiniHdfsExtension;
import io.zdl.test.kafka.KafkaBrokerExtension;
import io.zdl.test.s3.S3Server;
import io.zdl.test.s3.S3ServerExtension;
import io.zdl.test.spark.SparkTestSession;
import io.zdl.test.spark.StandaloneCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The randomized fault campaign, one per storage target: random SIGKILLs of the pipeline JVM, broker
 * restarts, lost checkpoints and maxOffsetsPerTrigger changes (and, on a Spark standalone cluster of
 * separate JVMs, SIGKILLs of executor JVMs while tasks run), then a reconcile that must find every
 * committed record exactly once and nothing else, in the plain pipeline's table and, where it runs
 * ({@code zdl.chaos.stateful}), in the stateful pipeline's tables. A soak, not in the default suite (its 30
 * minutes cannot hold it): the {@code chaos-short} Maven profile runs a short campaign, the {@code chaos} profile
 * a long one that writes project-docs/reliability.md (see {@link ChaosSettings}); both set {@code zdl.chaos.run}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@EnabledIfSystemProperty(named = "zdl.chaos.run", matches = "true")
class ChaosCampaignIT {
  @RegisterExtension
  static final KafkaBrokerExtension KAFKA = KafkaBrokerExtension.dedicated(); // the campaign kills it
  @RegisterExtension
  static final MiniHdfsExtension HDFS = MiniHdfsExtension.shared();
  @RegisterExtension
  static final S3ServerExtension S3 = S3ServerExtension.shared();

  private static final ChaosSettings SETTINGS = ChaosSettings.fromSystemProperties();
  private static final List<ChaosResult> RESULTS = new ArrayList<>();

  private final SparkSession spark = SparkTestSession.get();

  @Test
  @Order(1)
  void localDisk() {
    Path root = Queries.newDir("chaos-local");
    campaign(new ChaosTarget("local", root.resolve("store").toString(), Map.of()), root);
  }

  @Test
  @Order(2)
  void hdfs() {
    Path root = Queries.newDir("chaos-hdfs");
    campaign(new ChaosTarget("hdfs", HDFS.hdfs().uri() + "/" + root.getFileName(), Map.of()), root);
  }

  @Test
  @Order(3)
  void s3() {
    Path root = Queries.newDir("chaos-s3");
    S3Server s3 = S3.server();
    s3.configure(spark);
    String bucket = "zdl-chaos";
    s3.createBucket(bucket);
    Map<String, String> settings = new LinkedHashMap<>();
    s3.s3aSettings().forEach((k, v) -> settings.put("spark.hadoop." + k, v));
    campaign(new ChaosTarget("s3", s3.bucketUri(bucket) + "/" + root.getFileName(), settings), root);
  }

  @Test
  @Order(4)
  void standaloneClusterWithExecutorKills() {
    assumeTrue(SETTINGS.targets().contains(ChaosSettings.STANDALONE), "standalone not in zdl.chaos.targets");
    Path root = Queries.newDir("chaos-standalone");
    try (StandaloneCluster cluster = StandaloneCluster.start(root.resolve("cluster"), 2)) {
      campaign(new ChaosTarget(ChaosSettings.STANDALONE, root.resolve("store").toString(),
          cluster.applicationSettings(), cluster), root);
    }
  }

  private void campaign(ChaosTarget target, Path logDir) {
    assumeTrue(SETTINGS.targets().contains(target.name()), () -> target.name() + " not in zdl.chaos.targets");
    ChaosSchedule schedule = ChaosSchedule.generate(SETTINGS.seedFor(target.name()), SETTINGS.sizesFor(target.name()));
    System.out.println("[zdl-chaos] campaign seed " + SETTINGS.seed() + "; replay with: "
        + ReliabilityReport.command(SETTINGS));
    boolean stateful = SETTINGS.statefulTargets().contains(target.name());
    ChaosResult result = new ChaosCampaign(KAFKA.broker(), target, schedule, logDir, spark, stateful).run();
    synchronized (RESULTS) {
      RESULTS.add(result);
    }
    Reconciliation r = result.reconciliation();
    assertTrue(r.produced() > 0, "the campaign produced nothing");
    assertEquals(0, r.missing(), () -> "missing records: " + result.summary());
    assertEquals(0, r.duplicated(), () -> "duplicated records: " + result.summary());
    assertEquals(0, r.unexpected(), () -> "records that were never committed: " + result.summary());
    assertEquals(0, r.corrupt(), () -> "records whose content differs: " + result.summary());
    assertEquals(r.produced(), r.rowsInTable(), result::summary);
    assertTrue(result.kills() + result.pipelineFailures().size() == schedule.sizes().kills(), result::summary);
    if (stateful) {
      // every committed record in exactly one of the stateful pipeline's tables, once, and nothing else
      Reconciliation d = result.stateful().reconciliation();
      assertTrue(d.exactlyOnce(), () -> "the stateful pipeline is not exactly once: " + result.summary());
      assertEquals(r.produced(), d.produced(), result::summary);
    }
  }

  @AfterAll
  static void writeReport() {
    if (SETTINGS.report() != null && !RESULTS.isEmpty()) {
      ReliabilityReport.write(SETTINGS.report(), SETTINGS, RESULTS);
      System.out.println("[zdl-chaos] wrote " + SETTINGS.report());
    }
  }
}
