package io.zdl.test.s3;

import io.zdl.test.spark.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's own bucket on the JVM's shared {@link S3Server}, reached through an {@link S3Forwarder} in
 * {@code ATOMIC_CONDITIONAL_PUTS} mode (S3's atomic If-None-Match, which s3proxy lacks), started before the
 * class's tests and closed after them. The test session's S3A is pointed at the server; the child-JVM
 * drivers get the forwarder through {@link #childSparkConf()}, and the test session too with
 * {@link #sessionThroughForwarder()}. Use as a static field:
 * {@code @RegisterExtension static final ForwardedS3BucketExtension S3 = ForwardedS3BucketExtension.bucket("zdl-md-");}
 */
public final class ForwardedS3BucketExtension implements BeforeAllCallback, AfterAllCallback {
  private final S3ServerExtension shared = S3ServerExtension.shared();
  private final String bucket;
  private final boolean sessionThroughForwarder;
  private volatile S3Forwarder forwarder;

  private ForwardedS3BucketExtension(String bucket, boolean sessionThroughForwarder) {
    this.bucket = bucket;
    this.sessionThroughForwarder = sessionThroughForwarder;
  }

  /** A bucket named {@code prefix} and eight random characters, so classes never share one. */
  public static ForwardedS3BucketExtension bucket(String prefix) {
    return new ForwardedS3BucketExtension(prefix + UUID.randomUUID().toString().substring(0, 8), false);
  }

  /** The test session, too, reaches this bucket through the forwarder (so its {@link S3Forwarder#outage} cuts it off). */
  public ForwardedS3BucketExtension sessionThroughForwarder() {
    return new ForwardedS3BucketExtension(bucket, true);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    shared.beforeAll(context);
    S3Server server = shared.server();
    server.configure(SparkTestSession.get());
    server.createBucket(bucket);
    forwarder = S3Forwarder.start(server.endpoint(), S3Forwarder.Mode.ATOMIC_CONDITIONAL_PUTS);
    if (sessionThroughForwarder) {
      // before the bucket's first access: S3A caches one FileSystem per bucket with the settings it met
      SparkTestSession.get().sparkContext().hadoopConfiguration()
          .set("fs.s3a.bucket." + bucket + ".endpoint", forwarder.endpoint());
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    S3Forwarder f = forwarder;
    if (f != null) {
      f.close();
    }
  }

  public S3Server server() {
    return shared.server();
  }

  public String bucket() {
    return bucket;
  }

  /** {@code s3a://bucket/path}. */
  public String uri(String path) {
    return server().bucketUri(bucket) + "/" + path;
  }

  public S3Forwarder forwarder() {
    S3Forwarder f = forwarder;
    if (f == null) {
      throw new IllegalStateException("no forwarder yet: register the extension on a static field with "
          + "@RegisterExtension, and use it from tests or @BeforeAll/@BeforeEach");
    }
    return f;
  }

  /** S3A's settings for a child JVM, as {@code conf.spark.hadoop.*} arguments, with the forwarder as endpoint. */
  public List<String> childSparkConf() {
    List<String> args = new ArrayList<>();
    for (Map.Entry<String, String> e : server().s3aSettings().entrySet()) {
      String value = e.getKey().equals("fs.s3a.endpoint") ? forwarder().endpoint() : e.getValue();
      args.add("conf.spark.hadoop." + e.getKey() + "=" + value);
    }
    return args;
  }
}
