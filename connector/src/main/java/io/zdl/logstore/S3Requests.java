package io.zdl.logstore;

import java.io.IOException;

/**
 * The S3 requests the log store makes, one implementation per AWS SDK. An HTTP error answer is thrown as an
 * {@link S3ErrorResponse} carrying S3's status, so that what the answers mean is decided once, in
 * {@link S3Objects}; any other failure is an {@link IOException} naming the request and the key.
 */
interface S3Requests {
  /** PutObject with the settings' server-side encryption; with {@code ifNoneMatch}, {@code If-None-Match: *}. */
  void put(S3Location loc, byte[] body, boolean ifNoneMatch) throws IOException;

  /** GetObject: the object's bytes, or null for 404. */
  byte[] getOrNull(S3Location loc) throws IOException;

  void delete(S3Location loc) throws IOException;
}
