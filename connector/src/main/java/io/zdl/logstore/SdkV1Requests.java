package io.zdl.logstore;

import com.amazonaws.AmazonClientException;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.model.AmazonS3Exception;
import com.amazonaws.services.s3.model.ObjectMetadata;
import com.amazonaws.services.s3.model.PutObjectRequest;
import com.amazonaws.services.s3.model.S3Object;
import com.amazonaws.services.s3.model.SSEAwsKeyManagementParams;
import com.amazonaws.util.IOUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/** {@link S3Requests} with the AWS SDK v1 (Hadoop 3.3's S3A). */
final class SdkV1Requests implements S3Requests {
  /** The header is set by hand: SDK v1 before 1.12.7xx has no typed setter for it on PutObject. */
  static final String IF_NONE_MATCH = "If-None-Match";

  private final AmazonS3 s3;
  private final S3ClientSettings settings;

  SdkV1Requests(AmazonS3 s3, S3ClientSettings settings) {
    this.s3 = s3;
    this.settings = settings;
  }

  /** Requests through the JVM's shared client for {@code settings}. */
  static S3Requests of(S3ClientSettings settings) {
    return new SdkV1Requests(SdkV1Clients.get(settings), settings);
  }

  @Override
  public void put(S3Location loc, byte[] body, boolean ifNoneMatch) throws IOException {
    String request = ifNoneMatch ? "conditional PutObject" : "PutObject";
    try {
      s3.putObject(request(loc, body, ifNoneMatch));
    } catch (AmazonClientException e) {
      throw failed(request, loc, e);
    }
  }

  @Override
  public byte[] getOrNull(S3Location loc) throws IOException {
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

  @Override
  public void delete(S3Location loc) throws IOException {
    try {
      s3.deleteObject(loc.bucket(), loc.key());
    } catch (AmazonClientException e) {
      throw failed("DeleteObject", loc, e);
    }
  }

  private PutObjectRequest request(S3Location loc, byte[] body, boolean ifNoneMatch) {
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
    if (ifNoneMatch) {
      r.putCustomRequestHeader(IF_NONE_MATCH, "*");
    }
    return r;
  }

  private static IOException failed(String request, S3Location loc, AmazonClientException e) {
    if (e instanceof AmazonS3Exception) {
      AmazonS3Exception s3e = (AmazonS3Exception) e;
      return new S3ErrorResponse(request, loc, s3e.getStatusCode(), s3e.getErrorCode(), e.getMessage(), e);
    }
    return new IOException(request + " of " + loc + " failed: " + e.getClass().getSimpleName() + ": "
        + e.getMessage(), e);
  }
}
