package io.zdl.spark.kafka.offset;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.IOUtils;

/**
 * Writes and reads one small file of zdl's in a checkpoint (initial offsets, topic ids, loss ledger
 * entries) so that a reader, even after a crash at any instant, sees all of it or none of it:
 * written under a temporary name, then moved to its name. The one place these files touch storage;
 * what they hold is {@link VersionedJson}'s.
 *
 * <p>On local disk the file is written with java.nio, synced, and linked to its name: Hadoop's local
 * file system would write a checksum file beside it and, without its native library, start a
 * {@code chmod} process for each (some 5 ms a file here), and it syncs nothing.
 */
public final class CheckpointFile {
  private CheckpointFile() {}

  /** Writes {@code bytes} as {@code file}; false, writing nothing, when {@code file} already exists. */
  public static boolean publishIfAbsent(Path file, byte[] bytes, Configuration hadoopConf) throws IOException {
    FileSystem fs = file.getFileSystem(hadoopConf);
    if (fs instanceof LocalFileSystem) {
      return publishLocal(((LocalFileSystem) fs).pathToFile(file).toPath(), bytes);
    }
    fs.mkdirs(file.getParent());
    Path tmp = new Path(file.getParent(), temporaryName(file.getName()));
    try (OutputStream out = fs.create(tmp, false)) {
      out.write(bytes);
    }
    // HDFS and S3A refuse a rename onto an existing file
    if (fs.rename(tmp, file)) {
      return true;
    }
    fs.delete(tmp, false);
    if (fs.exists(file)) {
      return false;
    }
    throw new IOException("could not rename " + tmp + " to " + file);
  }

  /**
   * Writes {@code bytes} as {@code file}, replacing a file of that name: for entries that a retry may
   * write again with newer facts (the loss ledger's). A reader sees the old file or the new one.
   */
  public static void replace(Path file, byte[] bytes, Configuration hadoopConf) throws IOException {
    FileSystem fs = file.getFileSystem(hadoopConf);
    if (fs instanceof LocalFileSystem) {
      replaceLocal(((LocalFileSystem) fs).pathToFile(file).toPath(), bytes);
      return;
    }
    if (!fs.mkdirs(file.getParent())) { // some file systems answer false instead of throwing
      throw new IOException("could not make the directory " + file.getParent());
    }
    Path tmp = new Path(file.getParent(), temporaryName(file.getName()));
    try (OutputStream out = fs.create(tmp, false)) {
      out.write(bytes);
    }
    // HDFS and S3A refuse a rename onto an existing file; between the two steps a reader sees no
    // file, never a torn one
    fs.delete(file, false);
    if (!fs.rename(tmp, file)) {
      throw new IOException("could not rename " + tmp + " to " + file);
    }
  }

  /** The whole of {@code file}. */
  public static byte[] read(FileSystem fs, FileStatus file) throws IOException {
    byte[] bytes = new byte[(int) file.getLen()];
    try (InputStream in = fs.open(file.getPath())) {
      IOUtils.readFully(in, bytes, 0, bytes.length);
    }
    return bytes;
  }

  /** The whole of {@code file}. */
  public static byte[] read(FileSystem fs, Path file) throws IOException {
    return read(fs, fs.getFileStatus(file));
  }

  private static boolean publishLocal(java.nio.file.Path file, byte[] bytes) throws IOException {
    java.nio.file.Path dir = file.toAbsolutePath().getParent();
    if (Files.exists(file)) {
      return false;
    }
    Files.createDirectories(dir);
    java.nio.file.Path tmp = dir.resolve(temporaryName(file.getFileName().toString()));
    try {
      writeSynced(tmp, bytes);
      // a checksum Hadoop left under this name would not match the new file: Hadoop reads without one
      Files.deleteIfExists(dir.resolve("." + file.getFileName() + ".crc"));
      try {
        linkOrMove(tmp, file);
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    syncDirectory(dir);
    return true;
  }

  private static void replaceLocal(java.nio.file.Path file, byte[] bytes) throws IOException {
    java.nio.file.Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    java.nio.file.Path tmp = dir.resolve(temporaryName(file.getFileName().toString()));
    try {
      writeSynced(tmp, bytes);
      Files.deleteIfExists(dir.resolve("." + file.getFileName() + ".crc"));
      // rename(2): atomic, and over an existing name
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
    syncDirectory(dir);
  }

  private static void writeSynced(java.nio.file.Path tmp, byte[] bytes) throws IOException {
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        out.write(buf);
      }
      out.force(true);
    }
  }

  private static void linkOrMove(java.nio.file.Path tmp, java.nio.file.Path file) throws IOException {
    try {
      Files.createLink(file, tmp); // atomic, and fails where the name is taken, as a rename would not
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (UnsupportedOperationException | IOException e) {
      Files.move(tmp, file); // no hard links on this file system: a move that refuses an existing name
    }
  }

  /** Makes the new name durable; where a directory cannot be opened (not Linux), the name is still atomic. */
  private static void syncDirectory(java.nio.file.Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // best effort, as the file itself is already synced
    }
  }

  private static String temporaryName(String name) {
    return "." + name + "." + UUID.randomUUID() + ".tmp";
  }
}
