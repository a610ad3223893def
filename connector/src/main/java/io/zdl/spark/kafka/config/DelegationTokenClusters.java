package io.zdl.spark.kafka.config;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.util.Map;
import java.util.TreeSet;

/**
 * Spark's Kafka delegation tokens ({@code spark.kafka.clusters.<id>.*}) log in Spark's built-in source only; zdl's
 * relocated client does not read them. A source that Spark would have logged in with a token, and that has no
 * JAAS config of its own, is refused rather than left to fail at the broker with a vague error.
 */
public final class DelegationTokenClusters {
  public static final String PREFIX = "spark.kafka.clusters.";
  private static final String AUTH_SERVERS = ".auth.bootstrap.servers";
  private static final String TARGET_REGEX = ".target.bootstrap.servers.regex";

  private DelegationTokenClusters() {}

  /**
   * @param sparkConf the Spark configuration (at least its {@code spark.kafka.clusters.*} entries, full keys)
   * @param bootstrapServers the source's {@code kafka.bootstrap.servers}
   * @param hasJaasConfig whether the source sets {@code kafka.sasl.jaas.config}
   */
  public static void check(Map<String, String> sparkConf, String bootstrapServers, boolean hasJaasConfig) {
    if (hasJaasConfig) {
      return; // Spark's own source does not override a JAAS config either
    }
    TreeSet<String> matching = new TreeSet<>();
    for (String key : sparkConf.keySet()) {
      if (key.startsWith(PREFIX) && key.endsWith(AUTH_SERVERS)) {
        String id = key.substring(PREFIX.length(), key.length() - AUTH_SERVERS.length());
        String regex = sparkConf.get(PREFIX + id + TARGET_REGEX);
        if (matches(bootstrapServers, regex == null ? ".*" : regex)) {
          matching.add(id);
        }
      }
    }
    if (!matching.isEmpty()) {
      throw new ZdlException(ZdlErrors.UNSUPPORTED_KAFKA_OPTION, String.format(
          "Spark's Kafka delegation tokens (%s%s.*) would log this source in with Spark's built-in kafka source, but "
              + "zdl-kafka does not use them. Give the source its own credentials: set kafka.security.protocol, "
              + "kafka.sasl.mechanism and kafka.sasl.jaas.config (for Kerberos, a Krb5LoginModule with a keytab; see "
              + "project-docs/security.md), or remove the cluster's settings", PREFIX, matching.first()));
    }
  }

  private static boolean matches(String bootstrapServers, String regex) {
    for (String server : bootstrapServers.split(",")) {
      if (server.trim().matches(regex)) {
        return true;
      }
    }
    return false;
  }
}
