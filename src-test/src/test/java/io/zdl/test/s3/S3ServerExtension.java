package io.zdl.test.s3;

import java.util.UUID;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.zdl.test.spark.SparkTestSession;

/**
 * Gives a test class the JVM's one {@link S3Server}, started on first use and closed when the JVM's
 * test plan has run. Use as a static field:
 * {@code @RegisterExtension static final S3ServerExtension S3 = S3ServerExtension.shared();}
 * Tests must use their own buckets or key prefixes.
 */
public final class S3ServerExtension implements BeforeAllCallback {

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(S3ServerExtension.class);
  private static final String SHARED_KEY = "shared-s3";

  private volatile S3Server server;

  private S3ServerExtension() {
  }

  public static S3ServerExtension shared() {
    return new S3ServerExtension();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // the root store is closed when the whole test plan of this JVM has run
    server = context.getRoot().getStore(NS).getOrComputeIfAbsent(SHARED_KEY, k -> {
      S3Server s = S3Server.start(SparkTestSession.workDir().resolve("s3-shared-" + UUID.randomUUID()));
      System.err.printf("[zdl-test] s3proxy %s up in %.1f s%n", s.endpoint(), s.startupTime().toMillis() / 1000.0);
      return new Resource(s);
    }, Resource.class).server;
  }

  public S3Server server() {
    S3Server s = server;
    if (s == null) {
      throw new IllegalStateException("no S3 server yet: register the extension on a static field "
          + "with @RegisterExtension, and use it from tests or @BeforeAll/@BeforeEach");
    }
    return s;
  }

  /** Lets JUnit close the server with the store it lives in. */
  private static final class Resource implements ExtensionContext.Store.CloseableResource {
    final S3Server server;

    Resource(S3Server server) {
      this.server = server;
    }

    @Override
    public void close() {
      server.close();
    }
  }
}
