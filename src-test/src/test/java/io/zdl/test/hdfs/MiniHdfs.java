package io.zdl.test.hdfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS (one NameNode, one DataNode) in the test JVM, on free loopback ports, from
 * hadoop-client-minicluster. Lives in src/test (test scope) so the examples module, which uses the
 * harness jar, does not get the minicluster onto its classpath.
 */
public final class MiniHdfs implements AutoCloseable {

  private static final String HOST = "127.0.0.1";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

  private final MiniDFSCluster cluster;
  private final Path baseDir;
  private final Duration startupTime;
  private MiniDFSCluster.DataNodeProperties stoppedDataNode; // set while the DataNode is stopped

  private MiniHdfs(MiniDFSCluster cluster, Path baseDir, Duration startupTime) {
    this.cluster = cluster;
    this.baseDir = baseDir;
    this.startupTime = startupTime;
  }

  /** Formats a new cluster under {@code baseDir} and returns once the DataNode has registered. */
  public static MiniHdfs start(Path baseDir) {
    Path dir = baseDir.toAbsolutePath();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Configuration conf = new Configuration();
    // the base dir goes to the Builder, which refuses a conf that already names one
    conf.set("hadoop.tmp.dir", dir.resolve("tmp").toString());
    // every listener on loopback, port chosen by the OS (MiniDFSCluster sets most of these itself)
    conf.set("dfs.namenode.rpc-address", HOST + ":0");
    conf.set("dfs.namenode.http-address", HOST + ":0");
    conf.set("dfs.namenode.https-address", HOST + ":0");
    conf.set("dfs.namenode.secondary.http-address", HOST + ":0");
    conf.set("dfs.namenode.backup.address", HOST + ":0");
    conf.set("dfs.namenode.backup.http-address", HOST + ":0");
    conf.set("dfs.datanode.address", HOST + ":0");
    conf.set("dfs.datanode.http.address", HOST + ":0");
    conf.set("dfs.datanode.https.address", HOST + ":0");
    conf.set("dfs.datanode.ipc.address", HOST + ":0");
    conf.set("dfs.datanode.hostname", HOST);
    conf.setInt("dfs.replication", 1);
    // small and quick on 2 cores
    conf.setInt("dfs.namenode.handler.count", 4);
    conf.setInt("dfs.datanode.handler.count", 2);
    conf.setLong("dfs.heartbeat.interval", 1);
    conf.setBoolean("dfs.namenode.acls.enabled", false);

    // build() waits for the cluster itself, but not with a bound we choose: run it on a thread we can abandon
    ExecutorService starter = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "zdl-minihdfs-start");
      t.setDaemon(true);
      return t;
    });
    long t0 = System.nanoTime();
    Future<MiniDFSCluster> f = starter.submit(() -> {
      MiniDFSCluster c = new MiniDFSCluster.Builder(conf, dir.toFile())
          .numDataNodes(1)
          .format(true)
          .waitSafeMode(true)
          .checkDataNodeAddrConfig(true) // keep our 127.0.0.1 addresses
          .build();
      try {
        c.waitActive();
        return c;
      } catch (IOException | RuntimeException e) {
        c.shutdown(true);
        throw e;
      }
    });
    try {
      MiniDFSCluster c = f.get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return new MiniHdfs(c, dir, Duration.ofNanos(System.nanoTime() - t0));
    } catch (TimeoutException e) {
      f.cancel(true);
      throw new IllegalStateException("MiniDFSCluster not up after " + START_TIMEOUT.toSeconds() + " s (base dir "
          + dir + ")", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("MiniDFSCluster failed to start (base dir " + dir + "): " + e.getCause(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      f.cancel(true);
      throw new IllegalStateException(e);
    } finally {
      starter.shutdown();
    }
  }

  /** {@code hdfs://127.0.0.1:PORT}, without a trailing slash. */
  public String uri() {
    return "hdfs://" + HOST + ":" + cluster.getNameNodePort();
  }

  public int nameNodePort() {
    return cluster.getNameNodePort();
  }

  public Path baseDir() {
    return baseDir;
  }

  /** From the call of {@link #start} to the DataNode being registered. */
  public Duration startupTime() {
    return startupTime;
  }

  /** A new client of this cluster (not from Hadoop's FileSystem cache); the caller closes it. */
  public FileSystem newFileSystem() {
    try {
      return FileSystem.newInstance(java.net.URI.create(uri()), new Configuration());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops the (only) DataNode: no block can be read or written until {@link #restartDataNode()}. */
  public synchronized void stopDataNode() {
    if (stoppedDataNode == null) {
      stoppedDataNode = cluster.stopDataNode(0);
    }
  }

  /** Restarts the DataNode {@link #stopDataNode()} stopped, on its old ports and storage; returns once it registered. */
  public synchronized void restartDataNode() {
    if (stoppedDataNode == null) {
      return;
    }
    try {
      if (!cluster.restartDataNode(stoppedDataNode, true)) {
        throw new IllegalStateException("the DataNode did not restart");
      }
      cluster.waitActive();
      stoppedDataNode = null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops DataNode and NameNode; the base dir is kept for post-mortems. */
  @Override
  public void close() {
    cluster.shutdown(false, true);
  }
}
