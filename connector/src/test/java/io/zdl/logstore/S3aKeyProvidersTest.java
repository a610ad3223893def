package io.zdl.logstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.auth.AWSCredentials;
import com.amazonaws.auth.AWSSessionCredentials;
import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class S3aKeyProvidersTest {
  private static S3ClientSettings settings(String... keyValues) {
    Configuration c = new Configuration(false);
    for (int i = 0; i < keyValues.length; i += 2) {
      c.set(keyValues[i], keyValues[i + 1]);
    }
    try {
      return S3ClientSettings.of(c, "events");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void s3asSimpleProviderGivesTheKeysOfTheBucket() {
    AWSCredentials c = S3aKeyProviders.of(S3ClientSettings.S3A_SIMPLE_PROVIDER, settings("fs.s3a.access.key", "global",
        "fs.s3a.secret.key", "global-secret", "fs.s3a.bucket.events.access.key", "AKIDEVENTS",
        "fs.s3a.bucket.events.secret.key", "events-secret")).getCredentials();
    assertEquals("AKIDEVENTS", c.getAWSAccessKeyId());
    assertEquals("events-secret", c.getAWSSecretKey());
  }

  @Test
  void s3asTemporaryProviderGivesTheSessionToken() {
    AWSCredentials c = S3aKeyProviders.of(S3ClientSettings.S3A_TEMPORARY_PROVIDER, settings("fs.s3a.access.key", "AKID",
        "fs.s3a.secret.key", "secret", "fs.s3a.session.token", "token")).getCredentials();
    assertEquals("token", ((AWSSessionCredentials) c).getSessionToken());
  }

  @Test
  void missingKeysAreACodedErrorNamingTheProviderAndTheKeysWithoutAnySecret() {
    ZdlException e = assertThrows(ZdlException.class, () -> S3aKeyProviders.of(S3ClientSettings.S3A_TEMPORARY_PROVIDER,
        settings("fs.s3a.access.key", "AKID", "fs.s3a.secret.key", "do-not-print")));
    assertEquals(ZdlErrors.INVALID_OPTION, e.code());
    assertTrue(e.getMessage().contains(S3ClientSettings.S3A_TEMPORARY_PROVIDER)
            && e.getMessage().contains("fs.s3a.session.token"),
        e.getMessage());
    assertFalse(e.getMessage().contains("do-not-print"), e.getMessage());
  }

  @Test
  void anonymousNeedsNoKeysAndOtherProvidersAreNotMapped() {
    assertNull(
        S3aKeyProviders.of(S3ClientSettings.S3A_ANONYMOUS_PROVIDER, settings()).getCredentials().getAWSAccessKeyId());
    assertNull(S3aKeyProviders.of("com.example.MyProvider", settings()));
  }
}
