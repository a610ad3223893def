package io.zdl.test.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.spark.sql.SparkSession;

/**
 * One local SparkSession per JVM: a session start costs seconds and the first Delta write far more
 * (JIT warm-up), so test classes share it. Never stop it from a test; Spark's shutdown hook does.
 */
public final class SparkTestSession {

  private static SparkSession session;

  private SparkTestSession() {
  }

  public static synchronized SparkSession get() {
    if (session == null) {
      Path dir = workDir();
      session = SparkSession.builder()
          .master("local[2]")
          .appName("zdl-tests")
          .config("spark.ui.enabled", "false")
          .config("spark.ui.showConsoleProgress", "false") // progress bars wreck CI logs
          .config("spark.sql.shuffle.partitions", "2")
          // Delta's state reconstruction uses 50 partitions by default: slow for tiny test tables
          .config("spark.databricks.delta.snapshotPartitions", "2")
          .config("spark.sql.warehouse.dir", dir.resolve("spark-warehouse").toString())
          .config("spark.local.dir", dir.resolve("spark-local").toString())
          // loopback only: no dependence on the machine's hostname resolving
          .config("spark.driver.bindAddress", "127.0.0.1")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }

  /** {@code zdl.test.workdir} (surefire sets target/zdl-test) or target/zdl-test; created if missing. */
  public static Path workDir() {
    Path dir = Path.of(System.getProperty("zdl.test.workdir", "target/zdl-test")).toAbsolutePath();
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
