package io.zdl.spark.kafka.group;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Whether Spark has committed a micro-batch: its commit log is {@code <checkpoint>/commits/<batchId>},
 * one file per committed batch (the layout Spark has kept since 2.x). Spark tells a source about a
 * commit only when it starts the next batch, so a stream that has gone idle, or an AvailableNow run
 * that has ended, would otherwise never mirror its last batch into the consumer group.
 */
public final class SparkCommitLog {
  private final Path commitsDir;
  private final Configuration hadoopConf;

  /** {@code sourceCheckpointLocation} is {@code <checkpoint>/sources/<n>}, as Spark hands it to a source. */
  public SparkCommitLog(String sourceCheckpointLocation, Configuration hadoopConf) {
    this.commitsDir = new Path(new Path(sourceCheckpointLocation).getParent().getParent(), "commits");
    this.hadoopConf = hadoopConf;
  }

  public boolean isCommitted(long batchId) {
    if (batchId < 0) {
      return false;
    }
    Path file = new Path(commitsDir, Long.toString(batchId));
    try {
      return file.getFileSystem(hadoopConf).exists(file);
    } catch (IOException e) {
      return false; // the group view waits for Spark's own commit call instead
    }
  }
}
