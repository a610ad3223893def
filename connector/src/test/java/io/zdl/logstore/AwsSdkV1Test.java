package io.zdl.logstore;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class AwsSdkV1Test {
  /**
   * Loads the log store's own classes afresh and hides the AWS SDK v1, as on a Spark 4 cluster whose S3A
   * (Hadoop 3.4) brings only the SDK v2; everything else (Hadoop, Delta, zdl's errors) comes from the test's
   * class path.
   */
  private static final class WithoutSdkV1 extends URLClassLoader {
    WithoutSdkV1() {
      super(new URL[] {S3ConditionalPutLogStore.class.getProtectionDomain().getCodeSource().getLocation()},
          AwsSdkV1Test.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        if (name.startsWith("com.amazonaws.")) {
          throw new ClassNotFoundException(name);
        }
        if (name.startsWith("io.zdl.logstore.")) {
          Class<?> c = findLoadedClass(name);
          return c != null ? c : findClass(name);
        }
        return super.loadClass(name, resolve);
      }
    }
  }

  @Test
  void withoutTheSdkV1TheLogStoreIsRefusedWhenDeltaCreatesItNamingTheBundleToAdd() throws Exception {
    try (WithoutSdkV1 loader = new WithoutSdkV1()) {
      Constructor<?> create = loader.loadClass(S3ConditionalPutLogStore.class.getName())
          .getConstructor(Configuration.class);
      InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
          () -> create.newInstance(new Configuration(false)));
      ZdlException e = (ZdlException) thrown.getCause();
      assertEquals(ZdlErrors.S3_SDK_MISSING, e.code());
      assertTrue(e.getMessage().contains("com.amazonaws:aws-java-sdk-bundle")
          && e.getMessage().contains("spark.delta.logStore.s3a.impl"), e.getMessage());
    }
  }

  @Test
  void withTheSdkV1TheLogStoreIsCreated() {
    assertDoesNotThrow(() -> new S3ConditionalPutLogStore(new Configuration(false)));
  }
}
