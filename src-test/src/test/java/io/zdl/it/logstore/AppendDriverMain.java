package io.zdl.it.logstore;

import io.zdl.test.process.KeyValueArgs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * One Spark driver appending to a Delta table, as a program of its own so that several run at once
 * (several drivers are what Delta's default S3 log store is not safe for). Arguments key=value: table,
 * driver (its name), commits, rowsPerCommit (default 2), workDir, ready (a file it creates once warmed up),
 * go (a file it waits for, at most 5 minutes, before appending), and conf.&lt;spark setting&gt;=value.
 * Prints {@value #COMMITTED} lines, one per append Delta reported as committed; exits 0 when all were,
 * 1 on any error (after printing it).
 */
public final class AppendDriverMain {
  public static final String COMMITTED = "ZDL-APPEND committed";
  public static final StructType SCHEMA = new StructType()
      .add("driver", DataTypes.StringType, false).add("commit", DataTypes.IntegerType, false)
      .add("row", DataTypes.IntegerType, false);

  private AppendDriverMain() {}

  public static void main(String[] args) {
    KeyValueArgs a = KeyValueArgs.parse(args);
    try {
      SparkSession.Builder builder = SparkSession.builder();
      a.stripped("conf.").forEach(builder::config);
      SparkSession spark = builder.master("local[1]").appName("zdl-append-driver")
          .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
          .config("spark.sql.shuffle.partitions", "1").config("spark.databricks.delta.snapshotPartitions", "1")
          .config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
          .config("spark.local.dir", a.get("workDir") + "/spark-local")
          .config("spark.sql.warehouse.dir", a.get("workDir") + "/spark-warehouse")
          .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
          .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
          .getOrCreate();
      spark.sparkContext().setLogLevel("WARN");
      String table = a.get("table");
      String driver = a.get("driver");
      int commits = Integer.parseInt(a.get("commits"));
      int rowsPerCommit = Integer.parseInt(a.getOrDefault("rowsPerCommit", "2"));

      // warm up (JIT, Delta's classes, the table's log) so that the drivers' appends overlap
      spark.read().format("delta").load(table).count();
      Files.createFile(Path.of(a.get("ready")));
      Path go = Path.of(a.get("go"));
      long deadline = System.nanoTime() + 300_000_000_000L;
      while (!Files.exists(go)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("no go signal within 5 minutes: " + go);
        }
        Thread.sleep(20);
      }
      for (int c = 0; c < commits; c++) {
        List<Row> rows = new ArrayList<>();
        for (int r = 0; r < rowsPerCommit; r++) {
          rows.add(RowFactory.create(driver, c, r));
        }
        spark.createDataFrame(rows, SCHEMA).write().format("delta").mode("append").save(table);
        System.out.println(COMMITTED + " " + driver + " " + c);
      }
      spark.stop();
      System.exit(0);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
  }
}
