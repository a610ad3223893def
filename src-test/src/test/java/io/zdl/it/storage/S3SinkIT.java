package io.zdl.it.storage;

import io.zdl.test.s3.S3Server;
import io.zdl.test.s3.S3ServerExtension;
import io.zdl.test.spark.SparkTestSession;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The zdl-delta sink with table and checkpoint on a real S3 API server (s3proxy) through S3A. */
class S3SinkIT extends StorageSinkContract {
  @RegisterExtension
  static final S3ServerExtension S3 = S3ServerExtension.shared();

  private static final String BUCKET = "zdl-it-" + UUID.randomUUID().toString().substring(0, 8);

  @BeforeAll
  static void pointS3aAtTheServer() {
    S3Server s3 = S3.server();
    s3.configure(SparkTestSession.get());
    s3.createBucket(BUCKET);
  }

  @Override
  protected String storeRoot() {
    return S3.server().bucketUri(BUCKET) + "/zdl-it";
  }
}
