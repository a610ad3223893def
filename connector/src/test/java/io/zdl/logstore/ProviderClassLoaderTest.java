package io.zdl.logstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A credentials provider named in fs.s3a.aws.credentials.provider that only the thread's context class loader can
 * see, as one added with {@code --jars} is: both SDKs' clients load it from there. The provider classes are compiled
 * here into a folder of their own, so the connector's class loader cannot see them.
 */
class ProviderClassLoaderTest {

  private static final String V1_PROVIDER = "contextonly.V1Provider";
  private static final String V2_PROVIDER = "contextonly.V2Provider";

  @TempDir
  Path dir;

  private ClassLoader compileProviders() throws IOException {
    Path src = dir.resolve("src/contextonly");
    Files.createDirectories(src);
    write(src.resolve("V1Provider.java"), "package contextonly;\n"
        + "public class V1Provider implements com.amazonaws.auth.AWSCredentialsProvider {\n"
        + "  public com.amazonaws.auth.AWSCredentials getCredentials() {\n"
        + "    return new com.amazonaws.auth.BasicAWSCredentials(\"V1-CONTEXT\", \"s\");\n"
        + "  }\n"
        + "  public void refresh() {}\n"
        + "}\n");
    write(src.resolve("V2Provider.java"), "package contextonly;\n"
        + "public class V2Provider implements software.amazon.awssdk.auth.credentials.AwsCredentialsProvider {\n"
        + "  public static V2Provider create() { return new V2Provider(); }\n"
        + "  public software.amazon.awssdk.auth.credentials.AwsCredentials resolveCredentials() {\n"
        + "    return software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(\"V2-CONTEXT\", \"s\");\n"
        + "  }\n"
        + "}\n");
    Path classes = dir.resolve("classes");
    Files.createDirectories(classes);
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "the tests run on a JDK");
    int exit = javac.run(null, null, null, "-classpath", System.getProperty("java.class.path"), "-d",
        classes.toString(), src.resolve("V1Provider.java").toString(), src.resolve("V2Provider.java").toString());
    assertEquals(0, exit, "the providers compile");
    return new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader());
  }

  private static void write(Path file, String text) throws IOException {
    Files.write(file, text.getBytes(StandardCharsets.UTF_8));
  }

  private static S3ClientSettings settings(String provider) throws IOException {
    Configuration c = new Configuration(false);
    c.set("fs.s3a.aws.credentials.provider", provider);
    return S3ClientSettings.of(c, "b");
  }

  @Test
  void bothSdksLoadAProviderOnlyTheContextClassLoaderSees() throws Exception {
    ClassLoader context = compileProviders();
    assertThrows(ClassNotFoundException.class, () -> Class.forName(V2_PROVIDER),
        "the connector's own loader does not see the provider");
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    t.setContextClassLoader(context);
    try {
      assertEquals("V1-CONTEXT", SdkV1Clients.credentials(settings(V1_PROVIDER)).getCredentials().getAWSAccessKeyId());
      assertEquals("V2-CONTEXT", SdkV2Clients.credentials(settings(V2_PROVIDER)).resolveCredentials().accessKeyId());
    } finally {
      t.setContextClassLoader(before);
    }
  }

  @Test
  void aProviderNoLoaderSeesIsACodedErrorNamingTheOptionAndTheClass() throws Exception {
    for (String provider : new String[] {V1_PROVIDER, V2_PROVIDER}) {
      ZdlException e = assertThrows(ZdlException.class, () -> {
        if (provider.equals(V1_PROVIDER)) {
          SdkV1Clients.credentials(settings(provider));
        } else {
          SdkV2Clients.credentials(settings(provider));
        }
      });
      assertEquals(ZdlErrors.INVALID_OPTION, e.code());
      assertTrue(e.getMessage().contains(provider) && e.getMessage().contains("fs.s3a.aws.credentials.provider"),
          e.getMessage());
    }
  }
}
