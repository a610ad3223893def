package io.zdl.logstore;

import java.net.URI;
import java.util.Locale;
import org.apache.hadoop.fs.Path;

/** Bucket and key of an {@code s3a://}, {@code s3://} or {@code s3n://} path. */
final class S3Location {
  private final String scheme;
  private final String bucket;
  private final String key;

  private S3Location(String scheme, String bucket, String key) {
    this.scheme = scheme;
    this.bucket = bucket;
    this.key = key;
  }

  /** @throws IllegalArgumentException for another scheme, no bucket, or no key */
  static S3Location of(Path path) {
    URI uri = path.toUri();
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("s3a") && !scheme.equals("s3") && !scheme.equals("s3n")) {
      throw new IllegalArgumentException("The zdl S3 log store handles s3a://, s3:// and s3n:// paths only, not "
          + path + "; set it only as spark.delta.logStore.s3a.impl (or .s3.impl)");
    }
    String bucket = uri.getHost();
    if (bucket == null || bucket.isEmpty()) {
      throw new IllegalArgumentException("No bucket in " + path);
    }
    String p = uri.getPath() == null ? "" : uri.getPath();
    String key = p.startsWith("/") ? p.substring(1) : p;
    if (key.isEmpty()) {
      throw new IllegalArgumentException("No object key in " + path);
    }
    return new S3Location(scheme, bucket, key);
  }

  String bucket() {
    return bucket;
  }

  String key() {
    return key;
  }

  /** The key's "directory" (everything before the last '/'), empty at the bucket's root. */
  String parentKey() {
    int slash = key.lastIndexOf('/');
    return slash < 0 ? "" : key.substring(0, slash);
  }

  /** A key next to this one, in the same "directory". */
  S3Location sibling(String name) {
    String parent = parentKey();
    return new S3Location(scheme, bucket, parent.isEmpty() ? name : parent + "/" + name);
  }

  @Override
  public String toString() {
    return scheme + "://" + bucket + "/" + key;
  }
}
