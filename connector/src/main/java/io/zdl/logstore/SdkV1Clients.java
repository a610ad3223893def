package io.zdl.logstore;

import com.amazonaws.ClientConfiguration;
import com.amazonaws.Protocol;
import com.amazonaws.auth.AWSCredentialsProvider;
import com.amazonaws.auth.AWSCredentialsProviderChain;
import com.amazonaws.auth.AWSStaticCredentialsProvider;
import com.amazonaws.auth.BasicAWSCredentials;
import com.amazonaws.auth.BasicSessionCredentials;
import com.amazonaws.auth.DefaultAWSCredentialsProviderChain;
import com.amazonaws.client.builder.AwsClientBuilder.EndpointConfiguration;
import com.amazonaws.services.s3.AmazonS3;
import com.amazonaws.services.s3.AmazonS3ClientBuilder;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.hadoop.conf.Configuration;

/**
 * AWS SDK v1 clients built from {@link S3ClientSettings}, one per distinct settings in the JVM (a client
 * is thread-safe and holds a connection pool). Credentials, in S3A's order of precedence:
 * the classes in {@code fs.s3a.aws.credentials.provider} when set (S3A's own providers and any SDK
 * provider); else {@code fs.s3a.access.key}/{@code secret.key} (and {@code session.token}); else the
 * SDK's default chain (environment, system properties, profile, web identity, container, instance).
 */
final class SdkV1Clients {
  private static final ConcurrentMap<S3ClientSettings, AmazonS3> CLIENTS = new ConcurrentHashMap<>();

  private SdkV1Clients() {}

  static AmazonS3 get(S3ClientSettings settings) {
    return CLIENTS.computeIfAbsent(settings, SdkV1Clients::build);
  }

  private static AmazonS3 build(S3ClientSettings s) {
    ClientConfiguration cc = new ClientConfiguration()
        .withConnectionTimeout(s.connectTimeoutMs())
        .withSocketTimeout(s.socketTimeoutMs())
        .withMaxErrorRetry(s.maxErrorRetries());
    if (s.endpoint() != null) {
      cc.setProtocol(s.endpoint().toLowerCase(Locale.ROOT).startsWith("http://") ? Protocol.HTTP : Protocol.HTTPS);
    }
    if (s.proxyHost() != null) {
      cc.setProxyHost(s.proxyHost());
      if (s.proxyPort() > 0) {
        cc.setProxyPort(s.proxyPort());
      }
    }
    AmazonS3ClientBuilder b = AmazonS3ClientBuilder.standard()
        .withClientConfiguration(cc)
        .withPathStyleAccessEnabled(s.pathStyle())
        .withCredentials(credentials(s));
    if (s.endpoint() != null) {
      b.withEndpointConfiguration(new EndpointConfiguration(s.endpoint(), s.region()));
    } else {
      b.withRegion(s.region() != null ? s.region() : "us-east-1").withForceGlobalBucketAccessEnabled(true);
    }
    return b.build();
  }

  static AWSCredentialsProvider credentials(S3ClientSettings s) {
    if (!s.credentialProviders().isEmpty()) {
      List<AWSCredentialsProvider> providers = new ArrayList<>();
      for (String name : s.credentialProviders()) {
        providers.add(instantiate(name, s));
      }
      return providers.size() == 1 ? providers.get(0) : new AWSCredentialsProviderChain(providers);
    }
    if (s.hasStaticKeys()) {
      return new AWSStaticCredentialsProvider(s.sessionToken() != null
          ? new BasicSessionCredentials(s.accessKey(), s.secretKey(), s.sessionToken())
          : new BasicAWSCredentials(s.accessKey(), s.secretKey()));
    }
    return DefaultAWSCredentialsProviderChain.getInstance();
  }

  /**
   * With the constructors S3A accepts: (URI, Configuration), (Configuration), (), or a static getInstance(). S3A's own
   * providers that read {@code fs.s3a.*} keys implement the SDK v2 from Hadoop 3.4 on (Spark 4 builds): for those the
   * log store reads the same keys itself, so one S3A setting still serves both.
   */
  private static AWSCredentialsProvider instantiate(String className, S3ClientSettings s) {
    String bucket = s.bucket();
    Configuration conf = s.bucketConf();
    try {
      Class<?> c = S3ClientSettings.providerClass(className);
      if (!AWSCredentialsProvider.class.isAssignableFrom(c)) {
        AWSCredentialsProvider sameKeys = S3aKeyProviders.of(className, s);
        if (sameKeys != null) {
          return sameKeys;
        }
        throw S3ClientSettings.badCredentialsProvider(className,
            "it does not implement " + AWSCredentialsProvider.class.getName(), null);
      }
      try {
        Constructor<?> k = c.getConstructor(URI.class, Configuration.class);
        return (AWSCredentialsProvider) k.newInstance(URI.create("s3a://" + bucket), conf);
      } catch (NoSuchMethodException e) {
        // try the next form
      }
      try {
        return (AWSCredentialsProvider) c.getConstructor(Configuration.class).newInstance(conf);
      } catch (NoSuchMethodException e) {
        // try the next form
      }
      try {
        return (AWSCredentialsProvider) c.getConstructor().newInstance();
      } catch (NoSuchMethodException e) {
        // try the next form
      }
      Method m = c.getMethod("getInstance");
      if (!Modifier.isStatic(m.getModifiers())) {
        throw S3ClientSettings.badCredentialsProvider(className,
            "it has no usable constructor and no static getInstance()", null);
      }
      return (AWSCredentialsProvider) m.invoke(null);
    } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException e) {
      throw S3ClientSettings.badCredentialsProvider(className, e.toString(), e);
    } catch (InvocationTargetException e) {
      throw S3ClientSettings.badCredentialsProvider(className, String.valueOf(e.getCause()), e.getCause());
    }
  }
}
