package io.zdl.logstore;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.hadoop.util.VersionInfo;
import org.junit.jupiter.api.Test;

/**
 * On the suite's real classpath (S3A, both AWS SDKs: the harness's own S3 client is the SDK v1), the log store
 * picks the SDK its S3A uses, so that the S3 suites run the log store through that SDK: the SDK v1 on Hadoop 3.3
 * (the default build), the SDK v2 on Hadoop 3.4 ({@code -Pspark-4.0}). In the log store's package to reach
 * {@link S3Sdk}, which is not public.
 */
class S3SdkChoiceTest {
  @Test
  void theLogStoreUsesTheSdkOfThisClasspathsS3a() {
    String hadoop = VersionInfo.getVersion();
    String[] v = hadoop.split("\\.");
    int major = Integer.parseInt(v[0]);
    boolean hadoop34OrLater = major > 3 || (major == 3 && Integer.parseInt(v[1]) >= 4);
    assertEquals(hadoop34OrLater ? S3Sdk.V2 : S3Sdk.V1, S3Sdk.choose(S3SdkChoiceTest.class.getClassLoader()),
        "Hadoop " + hadoop);
  }
}
