package io.zdl.logstore;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proves, once per Delta log directory and JVM, that the endpoint honours {@code If-None-Match: *}: an
 * endpoint that ignores the header would let two writers both "create" commit N, which is the silent
 * loss this log store exists to prevent. The probe puts a fresh object under {@code _delta_log/} (its
 * name starts with '.', so Delta never reads it as a log file), puts it again conditionally, expects
 * 412, and deletes it.
 */
final class ConditionalWriteProbe {
  static final String PROBE_PREFIX = ".zdl-conditional-put-probe-";

  private static final Logger LOG = LoggerFactory.getLogger(ConditionalWriteProbe.class);
  /** Log directories already proven, keyed with the endpoint and bucket their client uses. */
  private static final Set<String> VERIFIED = ConcurrentHashMap.newKeySet();

  private ConditionalWriteProbe() {}

  /** Returns when {@code logFile}'s directory is known to support conditional writes; throws otherwise. */
  static void ensureSupported(S3Objects s3, S3ClientSettings settings, S3Location logFile) throws IOException {
    String key = settings.endpoint() + " " + settings.bucket() + "/" + logFile.parentKey();
    if (VERIFIED.contains(key)) {
      return;
    }
    S3Location probe = logFile.sibling(PROBE_PREFIX + UUID.randomUUID());
    String answer;
    try {
      if (s3.putIfAbsent(probe, bytes("first")) != S3Objects.PutResult.CREATED) {
        answer = "412 for a key that did not exist";
      } else if (s3.putIfAbsent(probe, bytes("second")) == S3Objects.PutResult.ALREADY_EXISTS) {
        answer = null;
      } else {
        answer = "success: the second PUT replaced the object";
      }
    } catch (IOException e) {
      // e.g. 501 Not Implemented or 400 from an endpoint that rejects the header outright
      answer = "error: " + e.getMessage();
    } finally {
      deleteQuietly(s3, probe);
    }
    if (answer != null) {
      throw unsupported(settings, probe, answer);
    }
    VERIFIED.add(key);
    LOG.info("S3 endpoint {} honours If-None-Match for {}: the zdl S3 log store commits there",
        settings.endpoint() == null ? "(AWS)" : settings.endpoint(), probe.sibling(""));
  }

  private static ZdlException unsupported(S3ClientSettings settings, S3Location probe, String answer) {
    return new ZdlException(ZdlErrors.S3_CONDITIONAL_WRITE_UNSUPPORTED, String.format(
        "The S3 endpoint %s does not support conditional writes: a second PutObject with 'If-None-Match: *' on %s "
            + "got %s, where S3 answers 412. Committing there could let two writers overwrite each other's Delta "
            + "commit, so nothing was written. Use an S3 store that supports conditional writes (AWS S3 does), or "
            + "remove spark.delta.logStore.s3a.impl and write this table from a single Spark driver, or use Delta's "
            + "S3DynamoDBLogStore.",
        settings.endpoint() == null ? "(AWS default)" : settings.endpoint(), probe, answer));
  }

  private static void deleteQuietly(S3Objects s3, S3Location probe) {
    try {
      s3.delete(probe);
    } catch (IOException e) {
      LOG.warn("Could not delete the probe object {} (harmless, Delta ignores it): {}", probe, e.toString());
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
