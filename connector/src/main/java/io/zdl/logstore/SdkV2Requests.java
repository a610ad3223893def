package io.zdl.logstore;

import java.io.IOException;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** {@link S3Requests} with the AWS SDK v2 (Hadoop 3.4's S3A, Spark 4 builds). */
final class SdkV2Requests implements S3Requests {
  /**
   * Set as a header: PutObjectRequest has a typed ifNoneMatch only from SDK 2.28 on, and Hadoop 3.4.1 ships 2.24.6.
   */
  static final String IF_NONE_MATCH = "If-None-Match";

  private final S3Client s3;
  private final S3ClientSettings settings;

  SdkV2Requests(S3Client s3, S3ClientSettings settings) {
    this.s3 = s3;
    this.settings = settings;
  }

  /** Requests through the JVM's shared client for {@code settings}. */
  static S3Requests of(S3ClientSettings settings) {
    return new SdkV2Requests(SdkV2Clients.get(settings), settings);
  }

  @Override
  public void put(S3Location loc, byte[] body, boolean ifNoneMatch) throws IOException {
    String request = ifNoneMatch ? "conditional PutObject" : "PutObject";
    PutObjectRequest.Builder b = PutObjectRequest.builder().bucket(loc.bucket()).key(loc.key())
        .contentType("application/json").contentLength((long) body.length);
    if (S3ClientSettings.SSE_S3.equals(settings.encryptionAlgorithm())) {
      b.serverSideEncryption(ServerSideEncryption.AES256);
    } else if (S3ClientSettings.SSE_KMS.equals(settings.encryptionAlgorithm())) {
      b.serverSideEncryption(ServerSideEncryption.AWS_KMS);
      if (settings.encryptionKey() != null) {
        b.ssekmsKeyId(settings.encryptionKey());
      }
    }
    if (ifNoneMatch) {
      b.overrideConfiguration(AwsRequestOverrideConfiguration.builder().putHeader(IF_NONE_MATCH, "*").build());
    }
    try {
      s3.putObject(b.build(), RequestBody.fromBytes(body));
    } catch (SdkException e) {
      throw failed(request, loc, e);
    }
  }

  @Override
  public byte[] getOrNull(S3Location loc) throws IOException {
    try {
      return s3.getObjectAsBytes(GetObjectRequest.builder().bucket(loc.bucket()).key(loc.key()).build())
          .asByteArray();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return null;
      }
      throw failed("GetObject", loc, e);
    } catch (SdkException e) {
      throw failed("GetObject", loc, e);
    }
  }

  @Override
  public void delete(S3Location loc) throws IOException {
    try {
      s3.deleteObject(DeleteObjectRequest.builder().bucket(loc.bucket()).key(loc.key()).build());
    } catch (SdkException e) {
      throw failed("DeleteObject", loc, e);
    }
  }

  private static IOException failed(String request, S3Location loc, SdkException e) {
    if (e instanceof S3Exception) {
      S3Exception s3e = (S3Exception) e;
      AwsErrorDetails details = s3e.awsErrorDetails();
      return new S3ErrorResponse(request, loc, s3e.statusCode(), details == null ? null : details.errorCode(),
          details == null ? e.getMessage() : details.errorMessage(), e);
    }
    return new IOException(request + " of " + loc + " failed: " + e.getClass().getSimpleName() + ": "
        + e.getMessage(), e);
  }
}
