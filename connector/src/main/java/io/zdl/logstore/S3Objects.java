package io.zdl.logstore;

import com.amazonaws.AmazonClientException;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.model.AmazonS3Exception;
import com.amazonaws.services.s3.model.ObjectMetadata;
import com.amazonaws.services.s3.model.PutObjectRequest;
import com.amazonaws.services.s3.model.S3Object;
import com.amazonaws.services.s3.model.SSEAwsKeyManagementParams;
import com.amazonaws.util.IOUtils;
import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * The few S3 requests the log store makes, with S3's answers mapped to outcomes: a PutObject with
 * {@code If-None-Match: *} (412: the key exists; 409: another conditional write to the key is in
 * flight, retried with {@link RetryBackoff}), a plain PutObject, a GetObject and a DeleteObject.
 */
final class S3Objects {
  /** The header is set by hand: SDK v1 before 1.12.7xx has no typed setter for it on PutObject. */
  static final String IF_NONE_MATCH = "If-None-Match";

  enum PutResult { CREATED, ALREADY_EXISTS }

  /** Sleeps between retries; a seam only so that tests of the retry loop need not wait. */
  interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  private final AmazonS3 s3;
  private final S3ClientSettings settings;
  private final RetryBackoff conflictBackoff;
  private final Sleeper sleeper;

  S3Objects(AmazonS3 s3, S3ClientSettings settings, RetryBackoff conflictBackoff, Sleeper sleeper) {
    this.s3 = s3;
    this.settings = settings;
    this.conflictBackoff = conflictBackoff;
    this.sleeper = sleeper;
  }

  /** Creates the object unless the key exists; one request when nobody else writes the key. */
  PutResult putIfAbsent(S3Location loc, byte[] body) throws IOException {
    for (int retry = 0; ; retry++) {
      try {
        s3.putObject(request(loc, body, true));
        return PutResult.CREATED;
      } catch (AmazonS3Exception e) {
        if (e.getStatusCode() == 412) {
          return PutResult.ALREADY_EXISTS;
        }
        if (e.getStatusCode() != 409) {
          throw failed("conditional PutObject", loc, e);
        }
        if (!conflictBackoff.allows(retry + 1)) {
          throw new ZdlException(ZdlErrors.S3_COMMIT_CONFLICT, String.format(
              "S3 answered 409 (%s) to each of %d conditional PUTs of %s: other conditional writes to this key kept "
                  + "being in flight for about %d ms. Nothing was committed by this attempt; the transaction fails "
                  + "and can be retried.", e.getErrorCode(), retry + 1, loc, conflictBackoff.maxTotalMillis()), e);
        }
        pause(conflictBackoff.delayMillis(retry + 1));
      } catch (AmazonClientException e) {
        throw failed("conditional PutObject", loc, e);
      }
    }
  }

  /** Writes the object, replacing any. */
  void put(S3Location loc, byte[] body) throws IOException {
    try {
      s3.putObject(request(loc, body, false));
    } catch (AmazonClientException e) {
      throw failed("PutObject", loc, e);
    }
  }

  /** The object's bytes, or null when there is no such key. */
  byte[] readOrNull(S3Location loc) throws IOException {
    try (S3Object o = s3.getObject(loc.bucket(), loc.key())) {
      return IOUtils.toByteArray(o.getObjectContent());
    } catch (AmazonS3Exception e) {
      if (e.getStatusCode() == 404) {
        return null;
      }
      throw failed("GetObject", loc, e);
    } catch (AmazonClientException e) {
      throw failed("GetObject", loc, e);
    }
  }

  void delete(S3Location loc) throws IOException {
    try {
      s3.deleteObject(loc.bucket(), loc.key());
    } catch (AmazonClientException e) {
      throw failed("DeleteObject", loc, e);
    }
  }

  private PutObjectRequest request(S3Location loc, byte[] body, boolean ifAbsent) {
    ObjectMetadata md = new ObjectMetadata();
    md.setContentLength(body.length);
    md.setContentType("application/json");
    PutObjectRequest r = new PutObjectRequest(loc.bucket(), loc.key(), new ByteArrayInputStream(body), md);
    if (S3ClientSettings.SSE_S3.equals(settings.encryptionAlgorithm())) {
      md.setSSEAlgorithm(ObjectMetadata.AES_256_SERVER_SIDE_ENCRYPTION);
    } else if (S3ClientSettings.SSE_KMS.equals(settings.encryptionAlgorithm())) {
      r.setSSEAwsKeyManagementParams(settings.encryptionKey() == null
          ? new SSEAwsKeyManagementParams() : new SSEAwsKeyManagementParams(settings.encryptionKey()));
    }
    if (ifAbsent) {
      r.putCustomRequestHeader(IF_NONE_MATCH, "*");
    }
    return r;
  }

  private void pause(long millis) throws InterruptedIOException {
    try {
      sleeper.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException io = new InterruptedIOException("interrupted while waiting to retry a conditional PUT");
      io.initCause(e);
      throw io;
    }
  }

  private static IOException failed(String what, S3Location loc, AmazonClientException e) {
    String detail = e instanceof AmazonS3Exception
        ? "HTTP " + ((AmazonS3Exception) e).getStatusCode() + " " + ((AmazonS3Exception) e).getErrorCode()
        : e.getClass().getSimpleName();
    return new IOException(what + " of " + loc + " failed: " + detail + ": " + e.getMessage(), e);
  }
}
