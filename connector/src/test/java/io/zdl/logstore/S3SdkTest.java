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
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** The test's class path has Hadoop 3.3 and both AWS SDKs (the connector's provided dependencies). */
class S3SdkTest {
  /**
   * Loads the log store's own classes afresh and hides the given packages, as on a cluster that lacks an SDK;
   * everything else (Hadoop, Delta, zdl's errors) comes from the test's class path.
   */
  private static final class Hiding extends URLClassLoader {
    private final List<String> hidden;

    Hiding(String... hiddenPackages) {
      super(new URL[] {S3ConditionalPutLogStore.class.getProtectionDomain().getCodeSource().getLocation()},
          S3SdkTest.class.getClassLoader());
      this.hidden = Arrays.asList(hiddenPackages);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      synchronized (getClassLoadingLock(name)) {
        for (String p : hidden) {
          if (name.startsWith(p)) {
            throw new ClassNotFoundException(name);
          }
        }
        if (name.startsWith("io.zdl.logstore.")) {
          Class<?> c = findLoadedClass(name);
          return c != null ? c : findClass(name);
        }
        return super.loadClass(name, resolve);
      }
    }
  }

  private static final String V1 = "com.amazonaws.";
  private static final String V2 = "software.amazon.awssdk.";

  @Test
  void withNeitherSdkTheLogStoreIsRefusedWhenDeltaCreatesItNamingWhatToAdd() throws Exception {
    try (Hiding loader = new Hiding(V1, V2)) {
      Constructor<?> create = loader.loadClass(S3ConditionalPutLogStore.class.getName())
          .getConstructor(Configuration.class);
      InvocationTargetException thrown = assertThrows(InvocationTargetException.class,
          () -> create.newInstance(new Configuration(false)));
      ZdlException e = (ZdlException) thrown.getCause();
      assertEquals(ZdlErrors.S3_SDK_MISSING, e.code());
      assertTrue(e.getMessage().contains("com.amazonaws:aws-java-sdk-bundle")
          && e.getMessage().contains("software.amazon.awssdk:bundle")
          && e.getMessage().contains("spark.delta.logStore.s3a.impl"), e.getMessage());
    }
  }

  @Test
  void onHadoop33WithBothSdksTheSdkV1OfItsS3aIsUsed() {
    assertEquals(S3Sdk.V1, S3Sdk.choose(S3SdkTest.class.getClassLoader()));
    assertDoesNotThrow(() -> new S3ConditionalPutLogStore(new Configuration(false)));
  }

  /** {@code S3Sdk.choose} as loaded by {@code loader}: package-private, in that loader's own runtime package. */
  private static String choose(ClassLoader loader) throws Exception {
    java.lang.reflect.Method choose = loader.loadClass(S3Sdk.class.getName())
        .getDeclaredMethod("choose", ClassLoader.class);
    choose.setAccessible(true);
    return String.valueOf(choose.invoke(null, loader));
  }

  @Test
  void withOnlyTheSdkV2ItIsUsed() throws Exception {
    try (Hiding loader = new Hiding(V1)) {
      assertEquals("V2", choose(loader));
      assertDoesNotThrow(() -> loader.loadClass(S3ConditionalPutLogStore.class.getName())
          .getConstructor(Configuration.class).newInstance(new Configuration(false)));
    }
  }

  @Test
  void withOnlyTheSdkV1ItIsUsed() throws Exception {
    try (Hiding loader = new Hiding(V2)) {
      assertEquals("V1", choose(loader));
    }
  }
}
