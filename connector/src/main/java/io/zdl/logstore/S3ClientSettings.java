package io.zdl.logstore;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;

/**
 * The S3 client settings of one bucket, read from the same {@code fs.s3a.*} keys as Hadoop's S3A file
 * system, so that users configure S3 once. Per-bucket keys {@code fs.s3a.bucket.<bucket>.<key>} win over
 * {@code fs.s3a.<key>}, as in S3A. Secrets are read with {@link Configuration#getPassword} (Hadoop
 * credential providers work) and never appear in {@link #toString()}. Equal settings share one client.
 */
final class S3ClientSettings {
  static final String PREFIX = "fs.s3a.";
  static final String ENDPOINT = "fs.s3a.endpoint";
  static final String REGION = "fs.s3a.endpoint.region";
  static final String PATH_STYLE = "fs.s3a.path.style.access";
  static final String SSL = "fs.s3a.connection.ssl.enabled";
  static final String ACCESS_KEY = "fs.s3a.access.key";
  static final String SECRET_KEY = "fs.s3a.secret.key";
  static final String SESSION_TOKEN = "fs.s3a.session.token";
  static final String CREDENTIALS_PROVIDER = "fs.s3a.aws.credentials.provider";
  static final String CONNECT_TIMEOUT = "fs.s3a.connection.establish.timeout";
  static final String SOCKET_TIMEOUT = "fs.s3a.connection.timeout";
  static final String MAX_ERROR_RETRIES = "fs.s3a.attempts.maximum";
  static final String PROXY_HOST = "fs.s3a.proxy.host";
  static final String PROXY_PORT = "fs.s3a.proxy.port";
  /** Server-side encryption: the newer and the older S3A key (Hadoop 3.3 reads both). */
  static final String ENCRYPTION_ALGORITHM = "fs.s3a.encryption.algorithm";
  static final String ENCRYPTION_ALGORITHM_OLD = "fs.s3a.server-side-encryption-algorithm";
  static final String ENCRYPTION_KEY = "fs.s3a.encryption.key";
  static final String ENCRYPTION_KEY_OLD = "fs.s3a.server-side-encryption.key";

  /** S3A's providers that take their credentials from the keys above; each SDK's client honours them. */
  static final String S3A_SIMPLE_PROVIDER = "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider";
  static final String S3A_TEMPORARY_PROVIDER = "org.apache.hadoop.fs.s3a.TemporaryAWSCredentialsProvider";
  static final String S3A_ANONYMOUS_PROVIDER = "org.apache.hadoop.fs.s3a.AnonymousAWSCredentialsProvider";

  static final String SSE_S3 = "AES256";
  static final String SSE_KMS = "SSE-KMS";

  private final String bucket;
  private final String endpoint; // a URL with scheme, or null for AWS's regional endpoint
  private final String region; // null: derived from the endpoint by the SDK, or us-east-1 without one
  private final boolean pathStyle;
  private final String accessKey;
  private final String secretKey;
  private final String sessionToken;
  private final List<String> credentialProviders;
  private final int connectTimeoutMs;
  private final int socketTimeoutMs;
  private final int maxErrorRetries;
  private final String proxyHost;
  private final int proxyPort;
  private final String encryptionAlgorithm; // null, AES256 or SSE-KMS
  private final String encryptionKey; // KMS key id or null
  /** The configuration with the bucket's overrides applied; handed to S3A credential providers. */
  private final Configuration bucketConf;

  private S3ClientSettings(String bucket, Configuration c) throws IOException {
    this.bucket = bucket;
    boolean ssl = c.getBoolean(SSL, true);
    this.endpoint = endpointUrl(trimToNull(c.get(ENDPOINT)), ssl);
    this.region = trimToNull(c.get(REGION));
    this.pathStyle = c.getBoolean(PATH_STYLE, false);
    this.accessKey = secret(c, ACCESS_KEY);
    this.secretKey = secret(c, SECRET_KEY);
    this.sessionToken = secret(c, SESSION_TOKEN);
    this.credentialProviders = classNames(c.get(CREDENTIALS_PROVIDER));
    this.connectTimeoutMs = millis(c, CONNECT_TIMEOUT, 5_000);
    this.socketTimeoutMs = millis(c, SOCKET_TIMEOUT, 200_000);
    this.maxErrorRetries = c.getInt(MAX_ERROR_RETRIES, 5);
    this.proxyHost = trimToNull(c.get(PROXY_HOST));
    this.proxyPort = c.getInt(PROXY_PORT, -1);
    String algorithm = trimToNull(c.get(ENCRYPTION_ALGORITHM, c.get(ENCRYPTION_ALGORITHM_OLD)));
    if (algorithm != null && !algorithm.equals(SSE_S3) && !algorithm.equals(SSE_KMS)) {
      throw ZdlErrors.invalidOption(ENCRYPTION_ALGORITHM, algorithm,
          SSE_S3 + " or " + SSE_KMS + " (the encryption the zdl S3 log store supports)");
    }
    this.encryptionAlgorithm = algorithm;
    String key = secret(c, ENCRYPTION_KEY);
    this.encryptionKey = key != null ? key : secret(c, ENCRYPTION_KEY_OLD);
    this.bucketConf = c;
  }

  /** The settings of {@code bucket}: {@code conf} with its {@code fs.s3a.bucket.<bucket>.*} overrides applied. */
  static S3ClientSettings of(Configuration conf, String bucket) throws IOException {
    return new S3ClientSettings(bucket, withBucketOverrides(conf, bucket));
  }

  /** A copy of {@code conf} where each {@code fs.s3a.bucket.<bucket>.<key>} is also set as {@code fs.s3a.<key>}. */
  static Configuration withBucketOverrides(Configuration conf, String bucket) {
    String bucketPrefix = PREFIX + "bucket." + bucket + ".";
    Configuration copy = new Configuration(conf);
    for (Map.Entry<String, String> e : conf) {
      String k = e.getKey();
      if (k.startsWith(bucketPrefix) && k.length() > bucketPrefix.length()) {
        String rest = k.substring(bucketPrefix.length());
        if (!rest.startsWith("bucket.")) {
          copy.set(PREFIX + rest, conf.get(k)); // conf.get expands ${...} as S3A does
        }
      }
    }
    return copy;
  }

  /** {@code host[:port]} becomes https:// or http:// (fs.s3a.connection.ssl.enabled); a URL stays as it is. */
  static String endpointUrl(String endpoint, boolean ssl) {
    if (endpoint == null) {
      return null;
    }
    return endpoint.contains("://") ? endpoint : (ssl ? "https://" : "http://") + endpoint;
  }

  /**
   * Loads a class named in {@value #CREDENTIALS_PROVIDER}, on either SDK, through the thread's context class loader
   * when there is one: a provider added with {@code --jars} is visible there, not to the connector's own loader.
   */
  static Class<?> providerClass(String className) throws ClassNotFoundException {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return Class.forName(className, true, context != null ? context : S3ClientSettings.class.getClassLoader());
  }

  /** The coded error for a class in {@value #CREDENTIALS_PROVIDER} the log store cannot use, and why. */
  static ZdlException badCredentialsProvider(String className, String why, Throwable cause) {
    return new ZdlException(ZdlErrors.INVALID_OPTION, "Invalid option " + CREDENTIALS_PROVIDER
        + ": the zdl S3 log store cannot use " + className + ": " + why, cause);
  }

  /** Throws unless the keys S3A's key-reading provider needs are set: access and secret key, and maybe the token. */
  void requireKeysFor(String providerClass, boolean withToken) {
    if (!hasStaticKeys() || (withToken && sessionToken == null)) {
      throw badCredentialsProvider(providerClass, "it takes " + ACCESS_KEY + ", " + SECRET_KEY
          + (withToken ? " and " + SESSION_TOKEN : "") + ", and they are not all set (for bucket " + bucket + ")",
          null);
    }
  }

  private static String secret(Configuration c, String key) throws IOException {
    char[] value = c.getPassword(key);
    return value == null ? null : trimToNull(new String(value));
  }

  private static int millis(Configuration c, String key, long dflt) {
    long ms = c.getTimeDuration(key, dflt, TimeUnit.MILLISECONDS);
    return (int) Math.min(Integer.MAX_VALUE, Math.max(0, ms));
  }

  private static List<String> classNames(String value) {
    if (value == null || value.trim().isEmpty()) {
      return Collections.emptyList();
    }
    List<String> names = new ArrayList<>();
    for (String s : Arrays.asList(value.split("[,\\s]+"))) {
      if (!s.isEmpty()) {
        names.add(s);
      }
    }
    return Collections.unmodifiableList(names);
  }

  private static String trimToNull(String s) {
    return s == null || s.trim().isEmpty() ? null : s.trim();
  }

  String bucket() {
    return bucket;
  }

  String endpoint() {
    return endpoint;
  }

  String region() {
    return region;
  }

  boolean pathStyle() {
    return pathStyle;
  }

  boolean hasStaticKeys() {
    return accessKey != null && secretKey != null;
  }

  String accessKey() {
    return accessKey;
  }

  String secretKey() {
    return secretKey;
  }

  String sessionToken() {
    return sessionToken;
  }

  List<String> credentialProviders() {
    return credentialProviders;
  }

  int connectTimeoutMs() {
    return connectTimeoutMs;
  }

  int socketTimeoutMs() {
    return socketTimeoutMs;
  }

  int maxErrorRetries() {
    return maxErrorRetries;
  }

  String proxyHost() {
    return proxyHost;
  }

  int proxyPort() {
    return proxyPort;
  }

  String encryptionAlgorithm() {
    return encryptionAlgorithm;
  }

  String encryptionKey() {
    return encryptionKey;
  }

  Configuration bucketConf() {
    return bucketConf;
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof S3ClientSettings)) {
      return false;
    }
    S3ClientSettings s = (S3ClientSettings) o;
    return pathStyle == s.pathStyle && connectTimeoutMs == s.connectTimeoutMs && socketTimeoutMs == s.socketTimeoutMs
        && maxErrorRetries == s.maxErrorRetries && proxyPort == s.proxyPort && bucket.equals(s.bucket)
        && Objects.equals(endpoint, s.endpoint) && Objects.equals(region, s.region)
        && Objects.equals(accessKey, s.accessKey) && Objects.equals(secretKey, s.secretKey)
        && Objects.equals(sessionToken, s.sessionToken) && credentialProviders.equals(s.credentialProviders)
        && Objects.equals(proxyHost, s.proxyHost) && Objects.equals(encryptionAlgorithm, s.encryptionAlgorithm)
        && Objects.equals(encryptionKey, s.encryptionKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(bucket, endpoint, region, pathStyle, accessKey, credentialProviders);
  }

  /** No secret: keys and tokens show only whether they are set. */
  @Override
  public String toString() {
    return "S3ClientSettings[bucket=" + bucket + ", endpoint=" + (endpoint == null ? "(AWS)" : endpoint)
        + ", region=" + region + ", pathStyle=" + pathStyle + ", staticKeys=" + (hasStaticKeys() ? "set" : "unset")
        + ", sessionToken=" + (sessionToken != null ? "set" : "unset") + ", credentialProviders="
        + credentialProviders + ", encryption=" + encryptionAlgorithm + "]";
  }
}
