package io.zdl.logstore;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;

/**
 * The log store's S3 client is AWS SDK v1's, provided by the cluster. Hadoop 3.3's S3A brings it; Hadoop 3.4's S3A
 * (the one Spark 4 builds use) brings only SDK v2. Checked when Delta creates the log store, on its first access
 * to the table, so a missing SDK stops the query before anything is written instead of failing a commit with a
 * {@link NoClassDefFoundError}.
 */
final class AwsSdkV1 {
  static final String CLIENT_CLASS = "com.amazonaws.services.s3.AmazonS3";

  private AwsSdkV1() {}

  static void require(ClassLoader loader) {
    try {
      Class.forName(CLIENT_CLASS, false, loader);
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ZdlException(ZdlErrors.S3_SDK_MISSING, "The zdl S3 log store (spark.delta.logStore.s3a.impl="
          + S3ConditionalPutLogStore.class.getName() + ") needs the AWS SDK v1 (com.amazonaws:aws-java-sdk-bundle "
          + "1.12.x) on the driver's classpath, and " + CLIENT_CLASS + " is not there (Hadoop 3.4's S3A, which "
          + "Spark 4 builds use, brings only the SDK v2). Nothing was written. Add the SDK v1 bundle (e.g. "
          + "--packages com.amazonaws:aws-java-sdk-bundle:1.12.262), or remove the setting and write the table "
          + "from one driver.", e);
    }
  }
}
