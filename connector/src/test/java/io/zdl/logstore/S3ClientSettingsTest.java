package io.zdl.logstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.auth.AWSCredentials;
import com.amazonaws.auth.AWSCredentialsProvider;
import com.amazonaws.auth.AWSSessionCredentials;
import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.auth.DefaultAWSCredentialsProviderChain;
import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class S3ClientSettingsTest {

  private static Configuration conf(String... kv) {
    Configuration c = new Configuration(false);
    for (int i = 0; i < kv.length; i += 2) {
      c.set(kv[i], kv[i + 1]);
    }
    return c;
  }

  @Test
  void readsTheS3aKeysUsersAlreadySet() throws IOException {
    S3ClientSettings s = S3ClientSettings.of(conf(
        "fs.s3a.endpoint", "127.0.0.1:9000", "fs.s3a.endpoint.region", "eu-west-1",
        "fs.s3a.path.style.access", "true", "fs.s3a.connection.ssl.enabled", "false",
        "fs.s3a.access.key", "AK", "fs.s3a.secret.key", "SK",
        "fs.s3a.connection.establish.timeout", "7s", "fs.s3a.connection.timeout", "12000",
        "fs.s3a.attempts.maximum", "3"), "b");
    assertEquals("http://127.0.0.1:9000", s.endpoint(), "no scheme and SSL off: http");
    assertEquals("eu-west-1", s.region());
    assertTrue(s.pathStyle());
    assertTrue(s.hasStaticKeys());
    assertEquals("AK", s.accessKey());
    assertEquals(7_000, s.connectTimeoutMs());
    assertEquals(12_000, s.socketTimeoutMs());
    assertEquals(3, s.maxErrorRetries());
  }

  @Test
  void defaultsAreAwsOverHttpsWithVirtualHostStyle() throws IOException {
    S3ClientSettings s = S3ClientSettings.of(conf(), "b");
    assertNull(s.endpoint());
    assertNull(s.region());
    assertFalse(s.pathStyle());
    assertFalse(s.hasStaticKeys());
    assertEquals("https://s3.example.com", S3ClientSettings.endpointUrl("s3.example.com", true));
    assertEquals("http://h:1", S3ClientSettings.endpointUrl("http://h:1", true), "a URL keeps its scheme");
  }

  @Test
  void perBucketKeysWinForTheirBucketOnly() throws IOException {
    Configuration c = conf("fs.s3a.endpoint", "http://shared:1", "fs.s3a.access.key", "AK", "fs.s3a.secret.key", "SK",
        "fs.s3a.bucket.special.endpoint", "http://special:2", "fs.s3a.bucket.special.access.key", "AK2");
    S3ClientSettings special = S3ClientSettings.of(c, "special");
    S3ClientSettings other = S3ClientSettings.of(c, "other");
    assertEquals("http://special:2", special.endpoint());
    assertEquals("AK2", special.accessKey());
    assertEquals("SK", special.secretKey(), "keys the bucket does not override come from fs.s3a.*");
    assertEquals("http://shared:1", other.endpoint());
    assertEquals("AK", other.accessKey());
    assertEquals("AK2", special.bucketConf().get("fs.s3a.access.key"), "credential providers see the override");
  }

  @Test
  void toStringNeverShowsSecrets() throws IOException {
    S3ClientSettings s = S3ClientSettings.of(conf("fs.s3a.access.key", "AKIDSECRETISH",
        "fs.s3a.secret.key", "verysecretvalue", "fs.s3a.session.token", "tokenvalue"), "b");
    String text = s.toString();
    assertFalse(text.contains("verysecretvalue") || text.contains("tokenvalue") || text.contains("AKIDSECRETISH"), text);
    assertTrue(text.contains("staticKeys=set"), text);
  }

  @Test
  void equalSettingsShareAClientAndAnyDifferenceDoesNot() throws IOException {
    Configuration c = conf("fs.s3a.endpoint", "http://h:1", "fs.s3a.secret.key", "a");
    assertEquals(S3ClientSettings.of(c, "b"), S3ClientSettings.of(new Configuration(c), "b"));
    assertNotEquals(S3ClientSettings.of(c, "b"), S3ClientSettings.of(c, "b2"));
    Configuration rotated = new Configuration(c);
    rotated.set("fs.s3a.secret.key", "rotated");
    assertNotEquals(S3ClientSettings.of(c, "b"), S3ClientSettings.of(rotated, "b"), "a rotated secret gets a new client");
  }

  @Test
  void staticKeysSessionTokenOrTheDefaultChain() throws IOException {
    AWSCredentialsProvider fixed = SdkV1Clients.credentials(S3ClientSettings.of(
        conf("fs.s3a.access.key", "AK", "fs.s3a.secret.key", "SK", "fs.s3a.session.token", "T"), "b"));
    AWSCredentials creds = fixed.getCredentials();
    assertTrue(creds instanceof AWSSessionCredentials);
    assertEquals("T", ((AWSSessionCredentials) creds).getSessionToken());
    assertTrue(
        SdkV1Clients.credentials(S3ClientSettings.of(conf(), "b")) instanceof DefaultAWSCredentialsProviderChain);
  }

  @Test
  void providerClassesAreInstantiatedAsS3aDoes() throws IOException {
    AWSCredentialsProvider p = SdkV1Clients.credentials(S3ClientSettings.of(
        conf("fs.s3a.aws.credentials.provider", FixedProvider.class.getName(), "fs.s3a.access.key", "ignored",
            "fs.s3a.secret.key", "ignored"), "b"));
    assertEquals("from-provider", p.getCredentials().getAWSAccessKeyId(), "the provider list wins over static keys");

    ZdlException e = assertThrows(ZdlException.class, () -> SdkV1Clients.credentials(S3ClientSettings.of(
        conf("fs.s3a.aws.credentials.provider", "no.such.Provider"), "b")));
    assertEquals(ZdlErrors.INVALID_OPTION, e.code());
    assertTrue(e.getMessage().contains("fs.s3a.aws.credentials.provider") && e.getMessage().contains("no.such.Provider"),
        e.getMessage());
  }

  @Test
  void anEncryptionTheStoreCannotApplyIsRefusedByName() {
    ZdlException e = assertThrows(ZdlException.class,
        () -> S3ClientSettings.of(conf("fs.s3a.server-side-encryption-algorithm", "SSE-C"), "b"));
    assertTrue(e.getMessage().contains("fs.s3a.encryption.algorithm") && e.getMessage().contains("SSE-C"), e.getMessage());
  }

  @Test
  void sseS3AndSseKmsAreAcceptedUnderEitherS3aKey() throws IOException {
    assertEquals("SSE-KMS", S3ClientSettings.of(conf("fs.s3a.encryption.algorithm", "SSE-KMS",
        "fs.s3a.encryption.key", "arn:kms:key"), "b").encryptionAlgorithm());
    assertEquals("AES256", S3ClientSettings.of(conf("fs.s3a.server-side-encryption-algorithm", "AES256"), "b")
        .encryptionAlgorithm());
  }

  /** A provider with a no-arg constructor, the simplest form S3A accepts. */
  public static final class FixedProvider extends AWSStaticCredentialsProvider {
    public FixedProvider() {
      super(new BasicAWSCredentials("from-provider", "x"));
    }
  }
}
