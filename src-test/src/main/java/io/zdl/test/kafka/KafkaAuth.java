package io.zdl.test.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Authenticated listeners for the test broker and the client settings that log in to them: SASL_PLAINTEXT
 * and SASL_SSL with PLAIN, SCRAM-SHA-512 and OAUTHBEARER (Kafka's unsecured tokens), and SSL with client
 * certificates. Users and passwords are made up
 * for each test run's broker; nothing here is a real credential.
 */
public final class KafkaAuth {
  public static final String SASL_PLAINTEXT = "SASL_PLAINTEXT";
  public static final String SASL_SSL = "SASL_SSL";
  public static final String SSL = "SSL";
  /** A SASL_PLAINTEXT listener whose OAUTHBEARER tokens come from an OIDC endpoint (see {@link OidcServer}). */
  public static final String OIDC = "OIDC";
  public static final String OIDC_CLIENT_SECRET = "oidc-secret-30a9f7";
  public static final String PLAIN = "PLAIN";
  public static final String SCRAM = "SCRAM-SHA-512";
  public static final String OAUTHBEARER = "OAUTHBEARER";

  public static final String USER = "alice";
  /** Distinct per mechanism, so a test that scans for secrets finds each one. */
  public static final String PLAIN_PASSWORD = "plain-pw-4b1e9c";
  public static final String SCRAM_PASSWORD = "scram-pw-77d2a0";
  /** Unsecured OAUTHBEARER tokens carry no secret; their lifetime stands where the others have a password. */
  public static final String TOKEN_LIFETIME_SECONDS = "3600";

  private static final String KAFKA = String.join(".", "org", "apache", "kafka");

  private KafkaAuth() {}

  /** A SASL_PLAINTEXT listener accepting PLAIN, SCRAM-SHA-512 and unsecured OAUTHBEARER tokens. */
  public static BrokerListeners saslListeners() {
    return sasl(BrokerListeners.none().listener(SASL_PLAINTEXT, SASL_PLAINTEXT), SASL_PLAINTEXT)
        .config("sasl.enabled.mechanisms", PLAIN + "," + SCRAM + "," + OAUTHBEARER);
  }

  /**
   * {@link #saslListeners()}, plus SASL_SSL (the same mechanisms over TLS) and SSL with client certificates
   * required (mutual TLS), both with the broker's key pair from {@code keys}.
   */
  public static BrokerListeners allListeners(TestKeyStores keys) {
    BrokerListeners l = sasl(saslListeners().listener(SASL_SSL, SASL_SSL), SASL_SSL);
    l = brokerKeyStore(l, SASL_SSL, keys);
    l = brokerKeyStore(l.listener(SSL, SSL), SSL, keys);
    String ssl = "listener.name." + SSL.toLowerCase() + ".";
    return l.config(ssl + "ssl.client.auth", "required")
        .config(ssl + "ssl.truststore.location", keys.brokerTrustStore().toString())
        .config(ssl + "ssl.truststore.password", TestKeyStores.PASSWORD)
        .config(ssl + "ssl.truststore.type", "PKCS12");
  }

  /** Adds a listener {@link #OIDC} (SASL_PLAINTEXT) whose OAUTHBEARER tokens the broker checks against the JWKS. */
  public static BrokerListeners withOidc(BrokerListeners l, OidcServer oidc) {
    String prefix = "listener.name." + OIDC.toLowerCase() + ".";
    return l.listener(OIDC, SASL_PLAINTEXT)
        .config(prefix + "sasl.enabled.mechanisms", OAUTHBEARER)
        .config(prefix + "oauthbearer.sasl.jaas.config", KAFKA
            + ".common.security.oauthbearer.OAuthBearerLoginModule required;")
        .config(prefix + "oauthbearer.sasl.server.callback.handler.class",
            KAFKA + ".common.security.oauthbearer.secured.OAuthBearerValidatorCallbackHandler")
        .config(prefix + "oauthbearer.sasl.oauthbearer.jwks.endpoint.url", oidc.jwksEndpoint());
  }

  /** Client settings that fetch a token from {@code oidc}'s endpoint with client credentials. */
  public static Map<String, String> oidcSettings(OidcServer oidc) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("security.protocol", SASL_PLAINTEXT);
    c.put("sasl.mechanism", OAUTHBEARER);
    c.put("sasl.oauthbearer.token.endpoint.url", oidc.tokenEndpoint());
    c.put("sasl.login.callback.handler.class",
        KAFKA + ".common.security.oauthbearer.secured.OAuthBearerLoginCallbackHandler");
    c.put("sasl.jaas.config", KAFKA + ".common.security.oauthbearer.OAuthBearerLoginModule required "
        + "clientId=\"zdl-client\" clientSecret=\"" + OIDC_CLIENT_SECRET + "\";");
    return c;
  }

  private static BrokerListeners sasl(BrokerListeners l, String listener) {
    String prefix = "listener.name." + listener.toLowerCase() + ".";
    return l.config(prefix + "plain.sasl.jaas.config", KAFKA + ".common.security.plain.PlainLoginModule required "
            + "username=\"admin\" password=\"admin-pw\" user_admin=\"admin-pw\" user_" + USER + "=\"" + PLAIN_PASSWORD
            + "\";")
        .config(prefix + "scram-sha-512.sasl.jaas.config", KAFKA + ".common.security.scram.ScramLoginModule required;")
        .config(prefix + "oauthbearer.sasl.jaas.config", KAFKA
            + ".common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub=\"admin\";");
  }

  private static BrokerListeners brokerKeyStore(BrokerListeners l, String listener, TestKeyStores keys) {
    String prefix = "listener.name." + listener.toLowerCase() + ".";
    return l.config(prefix + "ssl.keystore.location", keys.brokerKeyStore().toString())
        .config(prefix + "ssl.keystore.password", TestKeyStores.PASSWORD)
        .config(prefix + "ssl.key.password", TestKeyStores.PASSWORD)
        .config(prefix + "ssl.keystore.type", "PKCS12");
  }

  /** Client settings for SASL_SSL with {@code mechanism}, trusting what {@code trustStore} trusts. */
  public static Map<String, String> saslSslSettings(String mechanism, String password, java.nio.file.Path trustStore) {
    Map<String, String> c = clientSettings(mechanism, password);
    c.put("security.protocol", SASL_SSL);
    trust(c, trustStore);
    return c;
  }

  /** Client settings for mutual TLS: the client's key pair, trusting what {@code trustStore} trusts. */
  public static Map<String, String> mtlsSettings(TestKeyStores keys, java.nio.file.Path trustStore) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("security.protocol", SSL);
    trust(c, trustStore);
    c.put("ssl.keystore.location", keys.clientKeyStore().toString());
    c.put("ssl.keystore.password", TestKeyStores.PASSWORD);
    c.put("ssl.key.password", TestKeyStores.PASSWORD);
    c.put("ssl.keystore.type", "PKCS12");
    return c;
  }

  private static void trust(Map<String, String> c, java.nio.file.Path trustStore) {
    c.put("ssl.truststore.location", trustStore.toString());
    c.put("ssl.truststore.password", TestKeyStores.PASSWORD);
    c.put("ssl.truststore.type", "PKCS12");
  }

  /** Gives {@link #USER} a SCRAM-SHA-512 credential through the broker's admin API. */
  public static void createScramUser(KafkaBroker broker) {
    setScramPassword(broker, USER, SCRAM_PASSWORD);
  }

  /**
   * Creates {@code user}'s SCRAM-SHA-512 credential, or replaces its password, over the broker's PLAINTEXT
   * listener (KRaft keeps SCRAM credentials from Kafka 3.5 on). Connections already logged in stay open.
   */
  public static void setScramPassword(KafkaBroker broker, String user, String password) {
    try {
      broker.admin().alterUserScramCredentials(java.util.List.of(
          new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(user,
              new org.apache.kafka.clients.admin.ScramCredentialInfo(
                  org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 4096), password)))
          .all().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot set the SCRAM password of " + user + " on " + broker.bootstrapServers()
          + ": " + e, e);
    }
  }

  /** SASL_PLAINTEXT settings that log in as {@code user} with SCRAM-SHA-512 and {@code password}. */
  public static Map<String, String> scramSettings(String user, String password) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("security.protocol", SASL_PLAINTEXT);
    c.put("sasl.mechanism", SCRAM);
    c.put("sasl.jaas.config", KAFKA + ".common.security.scram.ScramLoginModule required username=\"" + user
        + "\" password=\"" + password + "\";");
    return c;
  }

  /** The {@code kafka.*} client settings (prefix left off) that log in as {@link #USER} with {@code mechanism}. */
  public static Map<String, String> clientSettings(String mechanism, String password) {
    Map<String, String> c = new LinkedHashMap<>();
    c.put("security.protocol", SASL_PLAINTEXT);
    c.put("sasl.mechanism", mechanism);
    switch (mechanism) {
      case PLAIN:
        c.put("sasl.jaas.config", KAFKA + ".common.security.plain.PlainLoginModule required username=\"" + USER
            + "\" password=\"" + password + "\";");
        break;
      case SCRAM:
        return scramSettings(USER, password);
      case OAUTHBEARER:
        // the password argument is the token's lifetime in seconds here: a negative one gives an expired token
        c.put("sasl.jaas.config", KAFKA + ".common.security.oauthbearer.OAuthBearerLoginModule required "
            + "unsecuredLoginStringClaim_sub=\"" + USER + "\" unsecuredLoginLifetimeSeconds=\"" + password + "\";");
        break;
      default:
        throw new IllegalArgumentException("unknown mechanism " + mechanism);
    }
    return c;
  }

  /** As {@link #clientSettings(String, String)} with the right password. */
  public static Map<String, String> clientSettings(String mechanism) {
    return clientSettings(mechanism, SCRAM.equals(mechanism) ? SCRAM_PASSWORD
        : OAUTHBEARER.equals(mechanism) ? TOKEN_LIFETIME_SECONDS : PLAIN_PASSWORD);
  }
}
