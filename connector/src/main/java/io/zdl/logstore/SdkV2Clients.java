package io.zdl.logstore;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.apache.ProxyConfiguration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * AWS SDK v2 clients built from {@link S3ClientSettings}, one per distinct settings in the JVM. Credentials: on
 * Hadoop 3.4 and later, S3A's own provider list for the bucket (the classes in {@code fs.s3a.aws.credentials.provider},
 * else S3A's defaults: the {@code fs.s3a} keys, the environment, the instance role), so the log store signs as S3A
 * does; elsewhere the {@code fs.s3a} keys, else the SDK's default chain.
 */
final class SdkV2Clients {
  static final String S3A_PROVIDER_LIST_METHOD = "createAWSCredentialProviderList";

  private static final ConcurrentMap<S3ClientSettings, S3Client> CLIENTS = new ConcurrentHashMap<>();

  private SdkV2Clients() {}

  static S3Client get(S3ClientSettings settings) {
    return CLIENTS.computeIfAbsent(settings, SdkV2Clients::build);
  }

  private static S3Client build(S3ClientSettings s) {
    ApacheHttpClient.Builder http = ApacheHttpClient.builder()
        .connectionTimeout(Duration.ofMillis(s.connectTimeoutMs()))
        .socketTimeout(Duration.ofMillis(s.socketTimeoutMs()));
    if (s.proxyHost() != null) {
      http.proxyConfiguration(ProxyConfiguration.builder().endpoint(URI.create(
          "http://" + s.proxyHost() + (s.proxyPort() > 0 ? ":" + s.proxyPort() : ""))).build());
    }
    S3ClientBuilder b = S3Client.builder()
        .httpClientBuilder(http)
        .credentialsProvider(credentials(s))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(s.pathStyle()).build())
        .overrideConfiguration(ClientOverrideConfiguration.builder()
            .retryPolicy(RetryPolicy.builder().numRetries(s.maxErrorRetries()).build()).build())
        .region(Region.of(s.region() != null ? s.region() : "us-east-1"));
    if (s.endpoint() != null) {
      b.endpointOverride(URI.create(s.endpoint()));
    } else if (s.region() == null) {
      b.crossRegionAccessEnabled(true); // as the SDK v1 client's global bucket access: any bucket's region
    }
    checksumsOnlyWhenRequired(b);
    return b.build();
  }

  /**
   * SDK 2.30 and later (Hadoop 3.5, Spark 4.2) add a CRC checksum to every PutObject by default, which some
   * S3-compatible stores refuse; the log store's objects are small and sent once, as with the SDK v1, so they get
   * only the checksums S3 requires. Set by reflection: SDK 2.24 (Hadoop 3.4.1) has neither setting.
   */
  static boolean checksumsOnlyWhenRequired(S3ClientBuilder b) {
    return setEnum(b, "requestChecksumCalculation", "software.amazon.awssdk.core.checksums.RequestChecksumCalculation")
        & setEnum(b, "responseChecksumValidation", "software.amazon.awssdk.core.checksums.ResponseChecksumValidation");
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static boolean setEnum(S3ClientBuilder b, String method, String enumClass) {
    try {
      Class<? extends Enum> type = (Class<? extends Enum>) Class.forName(enumClass, false,
          S3ClientBuilder.class.getClassLoader());
      Method m = S3ClientBuilder.class.getMethod(method, type);
      m.invoke(b, Enum.valueOf(type, "WHEN_REQUIRED"));
      return true;
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      return false; // an SDK before 2.30: it sends no such checksums
    } catch (IllegalAccessException | InvocationTargetException e) {
      throw new IllegalStateException("could not set " + method + " on the S3 client builder", e);
    }
  }

  static AwsCredentialsProvider credentials(S3ClientSettings s) {
    AwsCredentialsProvider s3a = s3aProviderList(s);
    if (s3a != null) {
      return s3a;
    }
    if (!s.credentialProviders().isEmpty()) {
      List<AwsCredentialsProvider> providers = new ArrayList<>();
      for (String name : s.credentialProviders()) {
        providers.add(instantiate(name, s));
      }
      return providers.size() == 1 ? providers.get(0)
          : AwsCredentialsProviderChain.builder().credentialsProviders(providers).build();
    }
    if (s.hasStaticKeys()) {
      return StaticCredentialsProvider.create(s.sessionToken() != null
          ? AwsSessionCredentials.create(s.accessKey(), s.secretKey(), s.sessionToken())
          : AwsBasicCredentials.create(s.accessKey(), s.secretKey()));
    }
    return DefaultCredentialsProvider.create();
  }

  /** Hadoop 3.4's {@code CredentialProviderListFactory}: S3A's providers for the bucket; null before Hadoop 3.4. */
  private static AwsCredentialsProvider s3aProviderList(S3ClientSettings s) {
    Method create;
    try {
      create = Class.forName(S3Sdk.S3A_V2_CREDENTIALS, true, SdkV2Clients.class.getClassLoader())
          .getMethod(S3A_PROVIDER_LIST_METHOD, URI.class, org.apache.hadoop.conf.Configuration.class);
    } catch (ClassNotFoundException | NoSuchMethodException | LinkageError e) {
      return null;
    }
    String named = s.credentialProviders().isEmpty() ? "S3A's default credential providers"
        : String.join(",", s.credentialProviders());
    try {
      return (AwsCredentialsProvider) create.invoke(null, URI.create("s3a://" + s.bucket()), s.bucketConf());
    } catch (InvocationTargetException e) {
      throw S3ClientSettings.badCredentialsProvider(named, String.valueOf(e.getCause()), e.getCause());
    } catch (IllegalAccessException | ClassCastException e) {
      throw S3ClientSettings.badCredentialsProvider(named, e.toString(), e);
    }
  }

  /** Without Hadoop 3.4's S3A: its three key-reading providers, or an SDK v2 provider with create() or (). */
  private static AwsCredentialsProvider instantiate(String className, S3ClientSettings s) {
    switch (className) {
      case S3ClientSettings.S3A_SIMPLE_PROVIDER:
      case S3ClientSettings.S3A_TEMPORARY_PROVIDER:
        boolean withToken = className.equals(S3ClientSettings.S3A_TEMPORARY_PROVIDER);
        s.requireKeysFor(className, withToken);
        return StaticCredentialsProvider.create(withToken
            ? AwsSessionCredentials.create(s.accessKey(), s.secretKey(), s.sessionToken())
            : AwsBasicCredentials.create(s.accessKey(), s.secretKey()));
      case S3ClientSettings.S3A_ANONYMOUS_PROVIDER:
        return AnonymousCredentialsProvider.create();
      default:
        break;
    }
    try {
      Class<?> c = S3ClientSettings.providerClass(className);
      if (!AwsCredentialsProvider.class.isAssignableFrom(c)) {
        throw S3ClientSettings.badCredentialsProvider(className,
            "it does not implement " + AwsCredentialsProvider.class.getName(), null);
      }
      try {
        return (AwsCredentialsProvider) c.getMethod("create").invoke(null);
      } catch (NoSuchMethodException e) {
        return (AwsCredentialsProvider) c.getConstructor().newInstance();
      }
    } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException e) {
      throw S3ClientSettings.badCredentialsProvider(className, e.toString(), e);
    } catch (InvocationTargetException e) {
      throw S3ClientSettings.badCredentialsProvider(className, String.valueOf(e.getCause()), e.getCause());
    }
  }
}
