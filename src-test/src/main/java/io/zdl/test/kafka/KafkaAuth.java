package io.zdl.test.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Authenticated listeners for the test broker and the client settings that log in to them: SASL_PLAINTEXT
 * with PLAIN, SCRAM-SHA-512 and OAUTHBEARER (Kafka's unsecured tokens). Users and passwords are made up
 * for each test run's broker; nothing here is a real credential.
 */
public final class KafkaAuth {
  public static final String SASL_PLAINTEXT = "SASL_PLAINTEXT";
  public static final String PLAIN = "PLAIN";
  public static final String SCRAM = "SCRAM-SHA-512";
  public static final String OAUTHBEARER = "OAUTHBEARER";

  public static final String USER = "alice";
  /** Distinct per mechanism, so a test that scans for secrets finds each one. */
  public static final String PLAIN_PASSWORD = "plain-pw-4b1e9c";
  public static final String SCRAM_PASSWORD = "scram-pw-77d2a0";

  private static final String KAFKA = String.join(".", "org", "apache", "kafka");

  private KafkaAuth() {}

  /** A SASL_PLAINTEXT listener accepting PLAIN, SCRAM-SHA-512 and unsecured OAUTHBEARER tokens. */
  public static BrokerListeners saslListeners() {
    String prefix = "listener.name." + SASL_PLAINTEXT.toLowerCase() + ".";
    return BrokerListeners.none().listener(SASL_PLAINTEXT, SASL_PLAINTEXT)
        .config("sasl.enabled.mechanisms", PLAIN + "," + SCRAM + "," + OAUTHBEARER)
        .config(prefix + "plain.sasl.jaas.config", KAFKA + ".common.security.plain.PlainLoginModule required "
            + "username=\"admin\" password=\"admin-pw\" user_admin=\"admin-pw\" user_" + USER + "=\"" + PLAIN_PASSWORD
            + "\";")
        .config(prefix + "scram-sha-512.sasl.jaas.config", KAFKA + ".common.security.scram.ScramLoginModule required;")
        .config(prefix + "oauthbearer.sasl.jaas.config", KAFKA
            + ".common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub=\"admin\";");
  }

  /** Gives {@link #USER} a SCRAM-SHA-512 credential through the broker's admin API. */
  public static void createScramUser(KafkaBroker broker) {
    try {
      broker.admin().alterUserScramCredentials(java.util.List.of(
          new org.apache.kafka.clients.admin.UserScramCredentialUpsertion(USER,
              new org.apache.kafka.clients.admin.ScramCredentialInfo(
                  org.apache.kafka.clients.admin.ScramMechanism.SCRAM_SHA_512, 4096), SCRAM_PASSWORD)))
          .all().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot create the SCRAM user on " + broker.bootstrapServers() + ": " + e, e);
    }
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
        c.put("sasl.jaas.config", KAFKA + ".common.security.scram.ScramLoginModule required username=\"" + USER
            + "\" password=\"" + password + "\";");
        break;
      case OAUTHBEARER:
        c.put("sasl.jaas.config", KAFKA + ".common.security.oauthbearer.OAuthBearerLoginModule required "
            + "unsecuredLoginStringClaim_sub=\"" + USER + "\";");
        break;
      default:
        throw new IllegalArgumentException("unknown mechanism " + mechanism);
    }
    return c;
  }

  /** As {@link #clientSettings(String, String)} with the right password. */
  public static Map<String, String> clientSettings(String mechanism) {
    return clientSettings(mechanism, SCRAM.equals(mechanism) ? SCRAM_PASSWORD : PLAIN_PASSWORD);
  }
}
