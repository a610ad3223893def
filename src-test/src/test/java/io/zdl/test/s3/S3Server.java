package io.zdl.test.s3;

import io.zdl.test.process.ChildJvm;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

import com.amazonaws.ClientConfiguration;
import com.amazonaws.Protocol;
import com.amazonaws.SdkClientException;
import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;

/**
 * A real S3 API server, s3proxy with the in-memory jclouds "transient" backend, in its own JVM on a
 * free loopback port. Its runnable jar is not on the test classpath (it carries unshaded Jetty, Guava
 * and Jackson): the build copies it and passes its path in the system property {@value #JAR_PROPERTY}.
 * Lives in src/test because hadoop-aws and the AWS SDK are test-scope dependencies.
 */
public final class S3Server implements AutoCloseable {

  public static final String JAR_PROPERTY = "zdl.test.s3proxy.jar";
  public static final String REGION = "us-east-1";

  private static final String HOST = ChildJvm.LOOPBACK;
  private static final String ACCESS_KEY = "zdl-access";
  private static final String SECRET_KEY = "zdl-secret";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration GRACEFUL_STOP_TIMEOUT = Duration.ofSeconds(10);

  private final Path dir;
  private final Path logFile;
  private final int port;
  private final boolean authorization;
  private Process process;
  private AmazonS3 client;
  private Duration startupTime;

  private S3Server(Path dir, int port, boolean authorization) {
    this.dir = dir;
    this.logFile = dir.resolve("s3proxy.log");
    this.port = port;
    this.authorization = authorization;
  }

  /** Starts s3proxy on a fresh loopback port; {@code dir} holds its properties and s3proxy.log. */
  public static S3Server start(Path dir) {
    return start(dir, true);
  }

  /**
   * Like {@link #start(Path)}, but the server checks no request signature: for tests that alter signed
   * headers on the way (see {@link S3Forwarder.Mode#DROP_IF_NONE_MATCH}).
   */
  public static S3Server startWithoutAuthorization(Path dir) {
    return start(dir, false);
  }

  private static S3Server start(Path dir, boolean authorization) {
    Path d = dir.toAbsolutePath();
    S3Server server = new S3Server(d, ChildJvm.freePorts(1)[0], authorization);
    try {
      Files.createDirectories(d);
      server.launchAndAwaitReady();
      return server;
    } catch (IOException e) {
      server.close();
      throw new UncheckedIOException(e);
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String endpoint() {
    return "http://" + HOST + ":" + port;
  }

  public String accessKey() {
    return ACCESS_KEY;
  }

  public String secretKey() {
    return SECRET_KEY;
  }

  public Path logFile() {
    return logFile;
  }

  /** From launching the JVM to the first authenticated request answered. */
  public Duration startupTime() {
    return startupTime;
  }

  /** {@code s3a://bucket}, without a trailing slash. */
  public String bucketUri(String bucket) {
    return "s3a://" + bucket;
  }

  /** Creates {@code bucket} unless it exists. */
  public void createBucket(String bucket) {
    AmazonS3 s3 = client();
    if (!s3.doesBucketExistV2(bucket)) {
      s3.createBucket(bucket);
    }
  }

  /** An AWS SDK v1 client for this server (path-style, plain HTTP, bounded timeouts and retries). */
  public synchronized AmazonS3 client() {
    if (client == null) {
      client = newClient(2);
    }
    return client;
  }

  /** The fs.s3a settings that point S3A at this server. */
  public Map<String, String> s3aSettings() {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("fs.s3a.endpoint", endpoint());
    c.put("fs.s3a.endpoint.region", REGION);
    c.put("fs.s3a.path.style.access", "true");
    c.put("fs.s3a.connection.ssl.enabled", "false");
    c.put("fs.s3a.access.key", ACCESS_KEY);
    c.put("fs.s3a.secret.key", SECRET_KEY);
    c.put("fs.s3a.aws.credentials.provider", "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider");
    // fail in seconds, not minutes, if the server is gone (defaults retry for a long time)
    c.put("fs.s3a.attempts.maximum", "3");
    c.put("fs.s3a.retry.limit", "3");
    c.put("fs.s3a.retry.interval", "200ms");
    c.put("fs.s3a.connection.establish.timeout", "5000");
    c.put("fs.s3a.connection.timeout", "30000");
    // one DELETE per object: the SDK 2.30+ (Hadoop 3.5's S3A, Spark 4.2) sends a CRC32 checksum with a bulk
    // DeleteObjects, which S3 requires and s3proxy answers with 501 NotImplemented
    c.put("fs.s3a.multiobjectdelete.enable", "false");
    return c;
  }

  /** Writes {@link #s3aSettings()} into {@code conf}. */
  public void configure(Configuration conf) {
    s3aSettings().forEach(conf::set);
  }

  /**
   * Points S3A in {@code spark} at this server (spark.sparkContext().hadoopConfiguration()). Call before
   * the first s3a:// access: Hadoop caches a FileSystem per bucket with the settings it was created with.
   */
  public void configure(SparkSession spark) {
    configure(spark.sparkContext().hadoopConfiguration());
  }

  /** SIGTERM first, SIGKILL if that takes too long. The directory (and log) is kept for post-mortems. */
  @Override
  public synchronized void close() {
    if (client != null) {
      client.shutdown();
      client = null;
    }
    Process p = process;
    process = null;
    if (p == null) {
      return;
    }
    ChildJvm.stop(p, GRACEFUL_STOP_TIMEOUT);
  }

  // ---------------------------------------------------------------- process management

  private void launchAndAwaitReady() throws IOException {
    Path jar = s3proxyJar();
    Path props = dir.resolve("s3proxy.properties");
    Map<String, String> c = new LinkedHashMap<>();
    c.put("s3proxy.endpoint", endpoint());
    c.put("s3proxy.authorization", authorization ? "aws-v2-or-v4" : "none");
    c.put("s3proxy.identity", ACCESS_KEY);
    c.put("s3proxy.credential", SECRET_KEY);
    // in memory; with "filesystem" Delta's first commit fails on _delta_log (directory markers)
    c.put("jclouds.provider", "transient");
    c.put("jclouds.identity", ACCESS_KEY);
    c.put("jclouds.credential", SECRET_KEY);
    StringBuilder sb = new StringBuilder("# written by io.zdl.test.s3.S3Server\n");
    c.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
    Files.writeString(props, sb.toString(), StandardCharsets.UTF_8);

    List<String> cmd = new ArrayList<>();
    cmd.add(ChildJvm.javaExecutable());
    cmd.add("-Xmx512m");
    cmd.add("-Xms64m");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-Djava.awt.headless=true");
    cmd.add("-jar");
    cmd.add(jar.toString());
    cmd.add("--properties");
    cmd.add(props.toString());
    Files.writeString(logFile, "\n===== starting s3proxy on " + endpoint() + " =====\n", StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    long t0 = System.nanoTime();
    // s3proxy's logback.xml reads LOG_LEVEL: INFO logs every request, WARN keeps s3proxy.log small
    Process p = ChildJvm.start(cmd, dir, logFile, Map.of("LOG_LEVEL", "warn"));
    process = p;
    awaitReady(p);
    startupTime = Duration.ofNanos(System.nanoTime() - t0);
  }

  /** Port open, then an authenticated ListBuckets answered. */
  private void awaitReady(Process p) {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!ChildJvm.canConnect(port)) {
      checkStarting(p, deadline, "port " + port + " to open");
      ChildJvm.sleep(100);
    }
    AmazonS3 probe = newClient(0);
    try {
      while (true) {
        try {
          probe.listBuckets();
          return;
        } catch (SdkClientException e) {
          checkStarting(p, deadline, "ListBuckets to succeed (last error: " + e + ")");
          ChildJvm.sleep(200);
        }
      }
    } finally {
      probe.shutdown();
    }
  }

  private AmazonS3 newClient(int retries) {
    ClientConfiguration cc = new ClientConfiguration()
        .withProtocol(Protocol.HTTP)
        .withConnectionTimeout(5_000)
        .withSocketTimeout(30_000)
        .withRequestTimeout(30_000)
        .withMaxErrorRetry(retries);
    return AmazonS3ClientBuilder.standard()
        .withEndpointConfiguration(new EndpointConfiguration(endpoint(), REGION))
        .withPathStyleAccessEnabled(true)
        .withCredentials(new AWSStaticCredentialsProvider(new BasicAWSCredentials(ACCESS_KEY, SECRET_KEY)))
        .withClientConfiguration(cc)
        .build();
  }

  private void checkStarting(Process p, long deadline, String what) {
    if (!p.isAlive()) {
      ChildJvm.exited(p);
      throw new IllegalStateException("s3proxy JVM exited with " + p.exitValue() + " while waiting for " + what
          + "; tail of " + logFile + ":\n" + logTail());
    }
    if (System.nanoTime() - deadline > 0) {
      throw new IllegalStateException("s3proxy not ready after " + READY_TIMEOUT.toSeconds() + " s (waiting for "
          + what + "); tail of " + logFile + ":\n" + logTail());
    }
  }

  private static Path s3proxyJar() {
    String jar = System.getProperty(JAR_PROPERTY);
    if (jar == null || jar.isEmpty()) {
      throw new IllegalStateException("system property " + JAR_PROPERTY + " is not set: run the tests through "
          + "Maven (src-test/pom.xml copies the s3proxy jar and sets it for surefire)");
    }
    Path p = Path.of(jar);
    if (!Files.isRegularFile(p)) {
      throw new IllegalStateException(JAR_PROPERTY + "=" + jar + " is not a file: run Maven's "
          + "generate-test-resources phase (dependency:copy of org.gaul:s3proxy:jar-with-dependencies) first");
    }
    return p;
  }

  // ---------------------------------------------------------------- small helpers

  private String logTail() {
    return ChildJvm.tail(logFile, 8000);
  }
}
