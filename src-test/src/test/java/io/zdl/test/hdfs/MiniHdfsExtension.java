package io.zdl.test.hdfs;

import java.util.UUID;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.zdl.test.spark.SparkTestSession;

/**
 * Gives a test class the JVM's one {@link MiniHdfs}, started on first use and closed when the JVM's
 * test plan has run. Use as a static field:
 * {@code @RegisterExtension static final MiniHdfsExtension HDFS = MiniHdfsExtension.shared();}
 * Tests must use their own paths.
 */
public final class MiniHdfsExtension implements BeforeAllCallback {

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(MiniHdfsExtension.class);
  private static final String SHARED_KEY = "shared-hdfs";

  private volatile MiniHdfs hdfs;

  private MiniHdfsExtension() {
  }

  public static MiniHdfsExtension shared() {
    return new MiniHdfsExtension();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // the root store is closed when the whole test plan of this JVM has run
    hdfs = context.getRoot().getStore(NS).getOrComputeIfAbsent(SHARED_KEY, k -> {
      MiniHdfs h = MiniHdfs.start(SparkTestSession.workDir().resolve("hdfs-shared-" + UUID.randomUUID()));
      System.err.printf("[zdl-test] MiniHdfs %s up in %.1f s%n", h.uri(), h.startupTime().toMillis() / 1000.0);
      return new Resource(h);
    }, Resource.class).hdfs;
  }

  public MiniHdfs hdfs() {
    MiniHdfs h = hdfs;
    if (h == null) {
      throw new IllegalStateException("no HDFS yet: register the extension on a static field "
          + "with @RegisterExtension, and use it from tests or @BeforeAll/@BeforeEach");
    }
    return h;
  }

  /** Lets JUnit close the cluster with the store it lives in. */
  private static final class Resource implements ExtensionContext.Store.CloseableResource {
    final MiniHdfs hdfs;

    Resource(MiniHdfs hdfs) {
      this.hdfs = hdfs;
    }

    @Override
    public void close() {
      hdfs.close();
    }
  }
}
