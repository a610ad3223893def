package io.zdl.it.storage;

import io.zdl.test.s3.ForwardedS3BucketExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The zdl-delta sink with table and checkpoint on a real S3 API server (s3proxy) through S3A. This
 * class's bucket is reached through a loopback forwarder (per-bucket S3A endpoint), which can cut the
 * store off for the outage case.
 */
class S3SinkIT extends StorageSinkContract {
  @RegisterExtension
  static final ForwardedS3BucketExtension S3 = ForwardedS3BucketExtension.bucket("zdl-it-").sessionThroughForwarder();

  @Override
  protected String storeRoot() {
    return S3.uri("zdl-it");
  }

  @Override
  protected void interruptStore() {
    S3.forwarder().outage(true);
  }

  @Override
  protected void restoreStore() {
    S3.forwarder().outage(false);
  }
}
