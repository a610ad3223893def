package io.zdl.spark.loss;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.offset.CheckpointFile;
import io.zdl.spark.kafka.offset.VersionedJson;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;

/**
 * The record of every range a query skipped under {@code failOnDataLoss=false}: a directory in the
 * source's checkpoint folder ({@code sources/<n>/zdl-loss-ledger/}) with one small versioned JSON
 * file per skipped range. The file name is derived from the range, so a replayed batch or a retried
 * task that finds the same loss rewrites the same file instead of adding a second entry. Written by
 * the driver and by executors (the checkpoint is on a file system both reach).
 */
public final class LossLedger implements Serializable {
  public static final String DIR_NAME = "zdl-loss-ledger";
  public static final int VERSION = 1;
  private static final String FIX = "Make it a writable directory (not a file) with space left, on a file system "
      + "the driver and every executor reach, then restart the query; to stop at lost records instead of "
      + "skipping them, leave failOnDataLoss at true.";

  private final String dir;
  private final HadoopConfHolder hadoopConf;

  public LossLedger(String sourceCheckpointLocation, Configuration hadoopConf) {
    this(new Path(sourceCheckpointLocation, DIR_NAME).toString(), new SerializableHadoopConf(hadoopConf));
  }

  private LossLedger(String dir, HadoopConfHolder hadoopConf) {
    this.dir = dir;
    this.hadoopConf = hadoopConf;
  }

  /**
   * This ledger, for tasks to write: its Hadoop configuration goes to each executor once, as a
   * broadcast, instead of with every task. Call on the driver, once per query.
   */
  public LossLedger sharedWithExecutors(SparkContext sparkContext) {
    return new LossLedger(dir, new BroadcastHadoopConf(sparkContext, hadoopConf.get()));
  }

  public String location() {
    return dir;
  }

  /** Stores {@code range}; replaces the entry of the same loss in the same batch. */
  public void record(SkippedRange range) {
    Path file = new Path(dir, fileName(range));
    try {
      ObjectNode node = VersionedJson.document(VERSION);
      SkippedRangeJson.write(range, node);
      CheckpointFile.replace(file, VersionedJson.bytes(node), hadoopConf.get());
    } catch (InterruptedIOException e) {
      throw new UncheckedIOException(e);
    } catch (IOException e) {
      throw new ZdlException(ZdlErrors.LOSS_LEDGER_UNAVAILABLE, String.format(
          "Could not record skipped offsets %s of topic %s partition %d in the loss ledger %s: %s. The batch stops "
              + "rather than skip records without a trace. %s", range.rangeText(), range.topicPartition().topic(),
          range.topicPartition().partition(), dir, e, FIX), e);
    }
  }

  /** The entries of micro-batch {@code batchId}. */
  public List<SkippedRange> forBatch(long batchId) {
    return read("batch-" + batchId + ".");
  }

  /** Every entry, oldest batch first within each listing order. */
  public List<SkippedRange> all() {
    return read("batch-");
  }

  private List<SkippedRange> read(String prefix) {
    Path path = new Path(dir);
    List<SkippedRange> out = new ArrayList<>();
    try {
      FileSystem fs = path.getFileSystem(hadoopConf.get());
      if (!fs.exists(path)) {
        return out;
      }
      if (!fs.getFileStatus(path).isDirectory()) { // listing a file would list the file, not entries
        throw new IOException(dir + " is not a directory");
      }
      for (FileStatus status : fs.listStatus(path)) {
        String name = status.getPath().getName();
        if (!name.startsWith(prefix) || !name.endsWith(".json")) {
          continue;
        }
        out.add(parse(fs, status));
      }
      return out;
    } catch (InterruptedIOException e) {
      throw new UncheckedIOException(e);
    } catch (IOException e) {
      throw new ZdlException(ZdlErrors.LOSS_LEDGER_UNAVAILABLE, "Could not read the loss ledger " + dir + ": " + e
          + ". " + FIX, e);
    }
  }

  private static SkippedRange parse(FileSystem fs, FileStatus status) throws IOException {
    JsonNode node = VersionedJson.parse(CheckpointFile.read(fs, status), "Loss ledger entry", status.getPath(),
        VERSION);
    try {
      return SkippedRangeJson.read(node);
    } catch (IllegalArgumentException e) {
      throw new ZdlException(ZdlErrors.OFFSET_CORRUPT,
          "Loss ledger entry " + status.getPath() + " is corrupt: " + e.getMessage(), e);
    }
  }

  static String fileName(SkippedRange r) {
    return "batch-" + r.batchId() + "." + r.topicPartition().topic() + "." + r.topicPartition().partition() + "."
        + r.fromOffset() + "." + r.cause().name() + ".json";
  }
}
