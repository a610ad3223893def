package io.zdl.spark.kafka.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The Kafka topic id of every topic the query has read, kept in its checkpoint: a topic deleted and
 * created again keeps its name and restarts its offsets, and only the id tells the two apart, also
 * across restarts. Each change is a new file {@code zdl-topic-ids.<seq>.json} (never overwritten in
 * place, so a crash cannot leave none); the highest sequence number wins.
 */
public final class TopicIdStore {
  public static final int VERSION = 1;
  private static final String PREFIX = "zdl-topic-ids.";

  private final Path dir;
  private final Configuration hadoopConf;
  private Map<String, String> ids; // loaded on first use
  private long seq;

  public TopicIdStore(String sourceCheckpointLocation, Configuration hadoopConf) {
    this.dir = new Path(sourceCheckpointLocation);
    this.hadoopConf = hadoopConf;
  }

  /** Topic name to the id the query knows it by. */
  public synchronized Map<String, String> known() {
    load();
    return new TreeMap<>(ids);
  }

  /** Stores {@code updates} over the known ids, if anything changes. */
  public synchronized void remember(Map<String, String> updates) {
    load();
    Map<String, String> next = new TreeMap<>(ids);
    next.putAll(updates);
    if (next.equals(ids)) {
      return;
    }
    ObjectNode root = VersionedJson.document(VERSION);
    ObjectNode topics = root.putObject("topics");
    for (Map.Entry<String, String> e : next.entrySet()) {
      topics.put(e.getKey(), e.getValue());
    }
    Path file = new Path(dir, PREFIX + (seq + 1) + ".json");
    try {
      // written whole under a temporary name first: a torn newest file would hide the older, intact one
      if (!CheckpointFile.publishIfAbsent(file, VersionedJson.bytes(root), hadoopConf)) {
        throw new IOException("it exists already: another query is writing this checkpoint");
      }
      if (seq > 0) {
        dir.getFileSystem(hadoopConf).delete(new Path(dir, PREFIX + seq + ".json"), false);
      }
      seq++;
      ids = next;
    } catch (InterruptedIOException e) {
      throw new UncheckedIOException(e);
    } catch (IOException e) {
      throw new ZdlException(ZdlErrors.OFFSET_CORRUPT, "Cannot write the topic ids at " + file + ": " + e, e);
    }
  }

  private void load() {
    if (ids != null) {
      return;
    }
    ids = new TreeMap<>();
    try {
      FileSystem fs = dir.getFileSystem(hadoopConf);
      if (!fs.exists(dir)) {
        return;
      }
      FileStatus newest = null;
      for (FileStatus f : fs.listStatus(dir)) {
        long n = seqOf(f.getPath().getName());
        if (n > seq) {
          seq = n;
          newest = f;
        }
      }
      if (newest != null) {
        ids = parse(fs, newest);
      }
    } catch (InterruptedIOException e) {
      throw new UncheckedIOException(e);
    } catch (IOException e) {
      throw new ZdlException(ZdlErrors.OFFSET_CORRUPT, "Cannot read the topic ids in " + dir + ": " + e, e);
    }
  }

  private static long seqOf(String name) {
    if (!name.startsWith(PREFIX) || !name.endsWith(".json")) {
      return -1;
    }
    try {
      return Long.parseLong(name.substring(PREFIX.length(), name.length() - ".json".length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Map<String, String> parse(FileSystem fs, FileStatus file) throws IOException {
    JsonNode root = VersionedJson.parse(CheckpointFile.read(fs, file), "Topic ids file", file.getPath(), VERSION);
    Map<String, String> ids = new TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("topics").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      ids.put(e.getKey(), e.getValue().asText());
    }
    return ids;
  }
}
