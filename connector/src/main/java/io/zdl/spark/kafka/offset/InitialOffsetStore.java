package io.zdl.spark.kafka.offset;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Keeps the query's initial offsets in its checkpoint. Spark asks for them again when it replays
 * batch 0 after a restart; resolving {@code latest} or a timestamp a second time would give other
 * offsets, so they are resolved once and read back ever after.
 */
public final class InitialOffsetStore {
  public static final String FILE_NAME = "zdl-initial-offsets.json";

  private final Path file;
  private final Configuration hadoopConf;

  public InitialOffsetStore(String checkpointLocation, Configuration hadoopConf) {
    this.file = new Path(checkpointLocation, FILE_NAME);
    this.hadoopConf = hadoopConf;
  }

  /** The stored initial offsets, or {@code resolve}'s result after storing it. */
  public KafkaSourceOffset getOrCreate(Supplier<KafkaSourceOffset> resolve) {
    try {
      FileSystem fs = file.getFileSystem(hadoopConf);
      if (fs.exists(file)) {
        return read(fs);
      }
      KafkaSourceOffset offset = resolve.get();
      CheckpointFile.publishIfAbsent(file, offset.json().getBytes(StandardCharsets.UTF_8), hadoopConf);
      return read(fs); // whatever is stored wins, should another attempt have raced us
    } catch (InterruptedIOException e) {
      throw new UncheckedIOException(e); // query.stop(): let Spark see an interruption, not a failure
    } catch (IOException e) {
      throw new ZdlException(ZdlErrors.OFFSET_CORRUPT,
          "Cannot read or write the initial offsets at " + file + ": " + e, e);
    }
  }

  private KafkaSourceOffset read(FileSystem fs) throws IOException {
    // versioned by its own JSON (KafkaOffsetJson), the shape Spark's offset log holds too
    return KafkaSourceOffset.fromJson(new String(CheckpointFile.read(fs, file), StandardCharsets.UTF_8),
        file.toString());
  }
}
