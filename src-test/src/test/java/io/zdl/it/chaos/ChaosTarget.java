package io.zdl.it.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import io.zdl.test.spark.StandaloneCluster;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * Where a campaign keeps its table and checkpoint: a local folder, an hdfs:// or an s3a:// URI.
 * {@code pipelineSettings} are the Spark settings the pipeline JVM needs to reach the store (the
 * test JVM's session must already have them). {@code cluster}: the Spark standalone cluster the pipeline
 * runs on, whose executors the campaign kills; null: the pipeline runs {@code local[2]}.
 */
record ChaosTarget(String name, String root, Map<String, String> pipelineSettings, StandaloneCluster cluster) {

  ChaosTarget(String name, String root, Map<String, String> pipelineSettings) {
    this(name, root, pipelineSettings, null);
  }

  String table() {
    return root + "/table";
  }

  String checkpoint() {
    return root + "/checkpoint";
  }

  /** The stateful pipeline's table of generation {@code g} (a new one after each refused checkpoint loss). */
  String statefulTable(int g) {
    return root + "/stateful-table-" + g;
  }

  String statefulCheckpoint() {
    return root + "/stateful-checkpoint";
  }

  /** Deletes both pipelines' checkpoints through Hadoop's FileSystem, as an operator's {@code rm -r} would. */
  void deleteCheckpoint(SparkSession spark) {
    delete(spark, checkpoint());
    delete(spark, statefulCheckpoint());
  }

  static void delete(SparkSession spark, String dir) {
    Path cp = new Path(dir);
    try {
      var fs = cp.getFileSystem(spark.sessionState().newHadoopConf());
      if (fs.exists(cp) && !fs.delete(cp, true)) {
        throw new IllegalStateException("could not delete " + cp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** How many commits the plain pipeline's table holds (0 before the first). */
  int commits(SparkSession spark) {
    return commits(spark, table());
  }

  /** How many commits {@code table}'s Delta log holds (0 before the first). */
  static int commits(SparkSession spark, String table) {
    Path log = new Path(table + "/_delta_log");
    try {
      var fs = log.getFileSystem(spark.sessionState().newHadoopConf());
      if (!fs.exists(log)) {
        return 0;
      }
      int n = 0;
      for (var st : fs.listStatus(log)) {
        n += st.getPath().getName().matches("\\d{20}\\.json") ? 1 : 0;
      }
      return n;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
