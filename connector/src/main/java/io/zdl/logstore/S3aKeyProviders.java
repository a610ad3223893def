package io.zdl.logstore;

import com.amazonaws.auth.AWSCredentialsProvider;
import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.AnonymousAWSCredentials;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.auth.BasicSessionCredentials;

/**
 * The SDK v1 equivalents of S3A's providers that take credentials from the {@code fs.s3a.*} keys, used where those
 * classes implement only the SDK v2 (Hadoop 3.4 and later). The keys come from {@link S3ClientSettings}, which reads
 * them as S3A does (per-bucket keys first, secrets through Hadoop credential providers).
 */
final class S3aKeyProviders {
  private S3aKeyProviders() {}

  /** The equivalent of S3A's provider {@code className}, or null when it is not one of these. */
  static AWSCredentialsProvider of(String className, S3ClientSettings s) {
    switch (className) {
      case S3ClientSettings.S3A_SIMPLE_PROVIDER:
        s.requireKeysFor(className, false);
        return new AWSStaticCredentialsProvider(new BasicAWSCredentials(s.accessKey(), s.secretKey()));
      case S3ClientSettings.S3A_TEMPORARY_PROVIDER:
        s.requireKeysFor(className, true);
        return new AWSStaticCredentialsProvider(
            new BasicSessionCredentials(s.accessKey(), s.secretKey(), s.sessionToken()));
      case S3ClientSettings.S3A_ANONYMOUS_PROVIDER:
        return new AWSStaticCredentialsProvider(new AnonymousAWSCredentials());
      default:
        return null;
    }
  }
}
