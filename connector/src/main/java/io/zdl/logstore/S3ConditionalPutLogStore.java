package io.zdl.logstore;

import io.delta.storage.HadoopFileSystemLogStore;
import io.zdl.spark.api.PublicApi;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Delta log store for S3 that is safe with several writing drivers and needs nothing but S3: commit N
 * is created with one PutObject carrying {@code If-None-Match: *}, which S3 refuses with 412 when the key
 * exists. That refusal becomes the {@link FileAlreadyExistsException} Delta's optimistic concurrency
 * expects, so the losing transaction re-reads the log and retries or fails cleanly.
 *
 * <p>Enable with {@code spark.delta.logStore.s3a.impl=io.zdl.logstore.S3ConditionalPutLogStore}
 * (and {@code .s3.impl} for s3:// paths). The S3 client is configured from the {@code fs.s3a.*} settings
 * (see {@link S3ClientSettings}), with the AWS SDK the cluster's S3A uses (see {@link S3Sdk}). Reads and
 * listings go through the Hadoop file system of the path: S3 lists strongly consistently, so no cache of
 * recent writes is needed.
 */
@PublicApi
public class S3ConditionalPutLogStore extends HadoopFileSystemLogStore {
  /** Retries of a conditional PUT answered 409 (another conditional write to the key in flight). */
  static final int CONFLICT_RETRIES = 8;
  static final long CONFLICT_BACKOFF_BASE_MS = 50;
  static final long CONFLICT_BACKOFF_CAP_MS = 2_000;

  private static final Logger LOG = LoggerFactory.getLogger(S3ConditionalPutLogStore.class);
  /** Which SDK is used is said once per JVM: Delta creates a log store per table. */
  private static final AtomicBoolean SDK_LOGGED = new AtomicBoolean();

  private final S3Sdk sdk;

  public S3ConditionalPutLogStore(Configuration initHadoopConf) {
    super(initHadoopConf);
    this.sdk = S3Sdk.choose(S3ConditionalPutLogStore.class.getClassLoader());
    if (SDK_LOGGED.compareAndSet(false, true)) {
      LOG.info("zdl S3 log store: S3 requests through the AWS SDK {}", sdk == S3Sdk.V2 ? "v2" : "v1");
    }
  }

  @Override
  public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration hadoopConf)
      throws IOException {
    S3Location loc = S3Location.of(path);
    S3ClientSettings settings = S3ClientSettings.of(hadoopConf, loc.bucket());
    // each SDK's classes are touched only on its own branch: the other SDK may be absent
    S3Requests requests = sdk == S3Sdk.V2 ? SdkV2Requests.of(settings) : SdkV1Requests.of(settings);
    S3Objects s3 = new S3Objects(requests,
        new RetryBackoff(CONFLICT_RETRIES, CONFLICT_BACKOFF_BASE_MS, CONFLICT_BACKOFF_CAP_MS,
            n -> ThreadLocalRandom.current().nextLong(n)),
        Thread::sleep);
    byte[] body = encode(actions);
    if (Boolean.TRUE.equals(overwrite)) {
      s3.put(loc, body); // _last_checkpoint and the like: last writer wins by design
      return;
    }
    ConditionalWriteProbe.ensureSupported(s3, settings, loc);
    if (s3.putIfAbsent(loc, body) == S3Objects.PutResult.CREATED) {
      return;
    }
    // 412. If an earlier attempt of this very request reached S3 before a timeout and the SDK retried, the
    // object is ours: Delta's commit files carry the transaction's unique id, so equal bytes mean that.
    byte[] existing = s3.readOrNull(loc);
    if (existing != null && Arrays.equals(existing, body)) {
      LOG.info("{} already holds exactly this commit (an earlier attempt of the same PUT landed)", loc);
      return;
    }
    throw new FileAlreadyExistsException(path.toString());
  }

  /** A single PutObject is atomic: readers never see part of a commit file. */
  @Override
  public Boolean isPartialWriteVisible(Path path, Configuration hadoopConf) {
    return false;
  }

  /** Delta's log format: one action per line, each line ended by a newline. */
  static byte[] encode(Iterator<String> actions) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (actions.hasNext()) {
      byte[] line = (actions.next() + "\n").getBytes(StandardCharsets.UTF_8);
      out.write(line, 0, line.length);
    }
    return out.toByteArray();
  }
}
