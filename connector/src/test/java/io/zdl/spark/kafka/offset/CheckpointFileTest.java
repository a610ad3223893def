package io.zdl.spark.kafka.offset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.io.IOUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFileTest {
  @TempDir
  Path dir;

  @Test
  void onLocalDiskTheFileIsPublishedOnceWholeAndAlone() throws IOException {
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir.toUri().toString(), "sources/0/state.json");

    assertTrue(CheckpointFile.publishIfAbsent(file, bytes("first"), new Configuration()));
    assertFalse(CheckpointFile.publishIfAbsent(file, bytes("second"), new Configuration()),
        "a name already taken is left as it is");

    assertArrayEquals(bytes("first"), readThroughHadoop(file, new Configuration()));
    assertEquals(Collections.singletonList("state.json"), names(dir.resolve("sources/0")),
        "no temporary file and no checksum file are left beside it");
  }

  @Test
  void aChecksumHadoopLeftUnderTheNameDoesNotBreakTheRead() throws IOException {
    Configuration conf = new Configuration();
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir.toUri().toString(), "state.json");
    FileSystem fs = file.getFileSystem(conf);
    try (OutputStream out = fs.create(file, true)) {
      out.write(bytes("written by Hadoop, with a .crc"));
    }
    Files.delete(dir.resolve("state.json")); // the .crc stays, as after a crash between the two deletes

    assertTrue(CheckpointFile.publishIfAbsent(file, bytes("new"), conf));
    assertArrayEquals(bytes("new"), readThroughHadoop(file, conf));
  }

  @Test
  void otherFileSystemsWriteATemporaryFileAndRenameIt() throws IOException {
    Configuration rawLocal = new Configuration();
    // not LocalFileSystem, so the Hadoop path is taken, as for HDFS and S3
    rawLocal.set("fs.file.impl", RawLocalFileSystem.class.getName());
    rawLocal.setBoolean("fs.file.impl.disable.cache", true);
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir.toUri().toString(), "a/b/state.json");

    assertTrue(CheckpointFile.publishIfAbsent(file, bytes("via hadoop"), rawLocal));
    assertArrayEquals(bytes("via hadoop"), readThroughHadoop(file, new Configuration()));
    assertEquals(Collections.singletonList("state.json"), names(dir.resolve("a/b")));
  }

  @Test
  void replaceSwapsTheWholeFileOnLocalDiskAndElsewhere() throws IOException {
    Configuration rawLocal = new Configuration();
    rawLocal.set("fs.file.impl", RawLocalFileSystem.class.getName());
    rawLocal.setBoolean("fs.file.impl.disable.cache", true);
    for (Configuration conf : new Configuration[] {new Configuration(), rawLocal}) {
      Path sub = dir.resolve(conf == rawLocal ? "hadoop" : "local");
      org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(sub.toUri().toString(), "ledger/entry.json");

      CheckpointFile.replace(file, bytes("first, and longer"), conf);
      CheckpointFile.replace(file, bytes("second"), conf);

      assertArrayEquals(bytes("second"), readThroughHadoop(file, new Configuration()));
      assertArrayEquals(bytes("second"), CheckpointFile.read(file.getFileSystem(conf), file));
      assertEquals(Collections.singletonList("entry.json"), names(sub.resolve("ledger")),
          "no temporary file and no checksum file are left beside it");
    }
  }

  private static byte[] readThroughHadoop(org.apache.hadoop.fs.Path file, Configuration conf) throws IOException {
    FileSystem fs = file.getFileSystem(conf);
    byte[] bytes = new byte[(int) fs.getFileStatus(file).getLen()];
    try (InputStream in = fs.open(file)) {
      IOUtils.readFully(in, bytes, 0, bytes.length);
    }
    return bytes;
  }

  private static List<String> names(Path d) throws IOException {
    try (Stream<Path> s = Files.list(d)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
