package io.zdl.it.storage;

import io.zdl.test.s3.S3Forwarder;
import io.zdl.test.s3.S3Server;
import io.zdl.test.s3.S3ServerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The zdl-delta sink with table and checkpoint on a real S3 API server (s3proxy) through S3A. This
 * class's bucket is reached through a loopback forwarder (per-bucket S3A endpoint), which can cut the
 * store off for the outage case.
 */
class S3SinkIT extends StorageSinkContract {
  @RegisterExtension
  static final S3ServerExtension S3 = S3ServerExtension.shared();

  private static final String BUCKET = "zdl-it-" + UUID.randomUUID().toString().substring(0, 8);
  private static S3Forwarder forwarder;

  @BeforeAll
  static void pointS3aAtTheServer() {
    S3Server s3 = S3.server();
    s3.configure(SparkTestSession.get());
    s3.createBucket(BUCKET);
    forwarder = S3Forwarder.start(s3.endpoint(), S3Forwarder.Mode.ATOMIC_CONDITIONAL_PUTS);
    // before the bucket's first access: S3A caches one FileSystem per bucket with the settings it met
    SparkTestSession.get().sparkContext().hadoopConfiguration()
        .set("fs.s3a.bucket." + BUCKET + ".endpoint", forwarder.endpoint());
  }

  @AfterAll
  static void closeForwarder() {
    if (forwarder != null) {
      forwarder.close();
    }
  }

  @Override
  protected String storeRoot() {
    return S3.server().bucketUri(BUCKET) + "/zdl-it";
  }

  @Override
  protected void interruptStore() {
    forwarder.outage(true);
  }

  @Override
  protected void restoreStore() {
    forwarder.outage(false);
  }
}
