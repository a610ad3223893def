package io.zdl.logstore;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * What S3's answers to the log store's requests mean: a PutObject with {@code If-None-Match: *} is created, or
 * finds the key existing (412), or meets another conditional write to the key in flight (409, retried with
 * {@link RetryBackoff}); every other error fails the request. The requests themselves go through
 * {@link S3Requests}, whichever AWS SDK the cluster has.
 */
final class S3Objects {
  enum PutResult { CREATED, ALREADY_EXISTS }

  /** Sleeps between retries; a seam only so that tests of the retry loop need not wait. */
  interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  private final S3Requests s3;
  private final RetryBackoff conflictBackoff;
  private final Sleeper sleeper;

  S3Objects(S3Requests s3, RetryBackoff conflictBackoff, Sleeper sleeper) {
    this.s3 = s3;
    this.conflictBackoff = conflictBackoff;
    this.sleeper = sleeper;
  }

  /** Creates the object unless the key exists; one request when nobody else writes the key. */
  PutResult putIfAbsent(S3Location loc, byte[] body) throws IOException {
    for (int retry = 0; ; retry++) {
      try {
        s3.put(loc, body, true);
        return PutResult.CREATED;
      } catch (S3ErrorResponse e) {
        if (e.statusCode() == 412) {
          return PutResult.ALREADY_EXISTS;
        }
        if (e.statusCode() != 409) {
          throw e;
        }
        if (!conflictBackoff.allows(retry + 1)) {
          throw new ZdlException(ZdlErrors.S3_COMMIT_CONFLICT, String.format(
              "S3 answered 409 (%s) to each of %d conditional PUTs of %s: other conditional writes to this key kept "
                  + "being in flight for about %d ms. Nothing was committed by this attempt; the transaction fails "
                  + "and can be retried.", e.errorCode(), retry + 1, loc, conflictBackoff.maxTotalMillis()), e);
        }
        pause(conflictBackoff.delayMillis(retry + 1));
      }
    }
  }

  /** Writes the object, replacing any. */
  void put(S3Location loc, byte[] body) throws IOException {
    s3.put(loc, body, false);
  }

  /** The object's bytes, or null when there is no such key. */
  byte[] readOrNull(S3Location loc) throws IOException {
    return s3.getOrNull(loc);
  }

  void delete(S3Location loc) throws IOException {
    s3.delete(loc);
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
}
