package io.zdl.logstore;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;

/**
 * The AWS SDK the log store's S3 client is built with: the one the cluster's S3A uses, so that the S3A credential
 * settings mean the same to both. Hadoop 3.3's S3A (Spark 3.x builds) brings the SDK v1; Hadoop 3.4's (Spark 4
 * builds) brings the SDK v2 and credential providers written for it. Chosen when Delta creates the log store, on
 * its first access to the table, so a missing SDK stops the query before anything is written instead of failing a
 * commit with a {@link NoClassDefFoundError}.
 */
enum S3Sdk {
  V1, V2;

  static final String V1_CLIENT = "com.amazonaws.services.s3.AmazonS3";
  static final String V2_CLIENT = "software.amazon.awssdk.services.s3.S3Client";
  static final String V2_HTTP_CLIENT = "software.amazon.awssdk.http.apache.ApacheHttpClient";
  /** Present from Hadoop 3.4 on, whose S3A builds SDK v2 credential providers. */
  static final String S3A_V2_CREDENTIALS = "org.apache.hadoop.fs.s3a.auth.CredentialProviderListFactory";

  /** The SDK v2 where S3A uses it (or where it is the only one), else the SDK v1; throws when neither is there. */
  static S3Sdk choose(ClassLoader loader) {
    boolean v1 = present(V1_CLIENT, loader);
    boolean v2 = present(V2_CLIENT, loader) && present(V2_HTTP_CLIENT, loader);
    if (v2 && (!v1 || present(S3A_V2_CREDENTIALS, loader))) {
      return V2;
    }
    if (v1) {
      return V1;
    }
    throw new ZdlException(ZdlErrors.S3_SDK_MISSING, "The zdl S3 log store (spark.delta.logStore.s3a.impl="
        + S3ConditionalPutLogStore.class.getName() + ") needs an AWS SDK for S3 on the driver's classpath: neither "
        + "the SDK v2 (" + V2_CLIENT + " and " + V2_HTTP_CLIENT + ") nor the SDK v1 (" + V1_CLIENT + ") is there. "
        + "Nothing was written. Add hadoop-aws of your Hadoop with the SDK it is built with (Hadoop 3.4: "
        + "software.amazon.awssdk:bundle 2.x; Hadoop 3.3: com.amazonaws:aws-java-sdk-bundle 1.12.x), or remove the "
        + "setting and write the table from one driver.");
  }

  private static boolean present(String className, ClassLoader loader) {
    try {
      Class.forName(className, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
