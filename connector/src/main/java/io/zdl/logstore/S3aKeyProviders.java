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
  static final String SIMPLE = "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider";
  static final String TEMPORARY = "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider";
  static final String ANONYMOUS = "org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider";

  private S3aKeyProviders() {}

  /** The equivalent of S3A's provider {@code className}, or null when it is not one of these. */
  static AWSCredentialsProvider of(String className, S3ClientSettings s) {
    switch (className) {
      case SIMPLE:
        requireKeys(className, s, false);
        return new AWSStaticCredentialsProvider(new BasicAWSCredentials(s.accessKey(), s.secretKey()));
      case TEMPORARY:
        requireKeys(className, s, true);
        return new AWSStaticCredentialsProvider(
            new BasicSessionCredentials(s.accessKey(), s.secretKey(), s.sessionToken()));
      case ANONYMOUS:
        return new AWSStaticCredentialsProvider(new AnonymousAWSCredentials());
      default:
        return null;
    }
  }

  static void requireKeys(String className, S3ClientSettings s, boolean withToken) {
    if (!s.hasStaticKeys() || (withToken && s.sessionToken() == null)) {
      throw S3Clients.badProvider(className, "it takes fs.s3a.access.key, fs.s3a.secret.key"
          + (withToken ? " and fs.s3a.session.token" : "") + ", and they are not all set (for bucket "
          + s.bucket() + ")", null);
    }
  }
}
