package io.zdl.spark.kafka.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/**
 * The published jar carries kafka-clients relocated under {@code io.zdl.shaded}. Users write Kafka
 * class names as they know them (a JAAS login module in {@code kafka.sasl.jaas.config}, a callback
 * handler class); this maps such names onto the relocated classes, so the same settings work with
 * {@code format("kafka")} and {@code format("zdl-kafka")}. Names written for Databricks, whose runtime relocates
 * its client under {@code kafkashaded.}, are mapped too, so JAAS strings copied from there work unchanged.
 */
final class RelocatedKafkaClassNames {
  // Built at run time: the shade plugin rewrites string constants that start with the package name.
  static final String ORIGINAL_PACKAGE = String.join(".", "org", "apache", "kafka") + ".";
  /** Databricks' relocation prefix for its Kafka client. */
  static final String DATABRICKS_PREFIX = "kafkashaded.";
  private static final String CONSUMER_CONFIG_SUFFIX = "clients.consumer.ConsumerConfig";
  /** OAUTHBEARER's callback handlers: in {@code secured} up to kafka-clients 3.9 (which has both), one up in 4.x. */
  private static final String[] MOVED_FROM_SECURED = {
      "common.security.oauthbearer.secured.OAuthBearerLoginCallbackHandler",
      "common.security.oauthbearer.secured.OAuthBearerValidatorCallbackHandler"};

  private RelocatedKafkaClassNames() {}

  /** The package prefix of the Kafka classes this jar runs with, e.g. {@code io.zdl.shaded.org.apache.kafka.}. */
  static String runtimePackage() {
    String name = ConsumerConfig.class.getName();
    return name.substring(0, name.length() - CONSUMER_CONFIG_SUFFIX.length());
  }

  static String relocate(String value) {
    return movedClassesRenamed(relocate(value, runtimePackage()), runtimePackage());
  }

  /**
   * Renames classes the bundled client no longer has under the name users write: kafka-clients 4.x removed the
   * {@code secured} OAUTHBEARER handlers that every OIDC guide names (and that Spark 4's own 3.9 client still has).
   */
  static String movedClassesRenamed(String value, String runtimePackage) {
    if (value == null || !value.contains(".secured.")) {
      return value;
    }
    for (String moved : MOVED_FROM_SECURED) {
      String old = runtimePackage + moved;
      if (value.contains(old) && !loadable(old)) {
        value = value.replace(old, old.replace(".secured.", "."));
      }
    }
    return value;
  }

  private static boolean loadable(String className) {
    try {
      Class.forName(className, false, RelocatedKafkaClassNames.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /**
   * Rewrites each original or Databricks-relocated Kafka class name in {@code value} to {@code runtimePackage};
   * leaves names already relocated for this jar.
   */
  static String relocate(String value, String runtimePackage) {
    if (value == null || !value.contains(ORIGINAL_PACKAGE)) {
      return value;
    }
    if (!runtimePackage.startsWith(DATABRICKS_PREFIX)) {
      value = value.replace(DATABRICKS_PREFIX + ORIGINAL_PACKAGE, ORIGINAL_PACKAGE);
    }
    if (runtimePackage.equals(ORIGINAL_PACKAGE)) {
      return value;
    }
    String shadePrefix = runtimePackage.substring(0, runtimePackage.length() - ORIGINAL_PACKAGE.length());
    Pattern original = Pattern.compile("(?<!" + Pattern.quote(shadePrefix) + ")" + Pattern.quote(ORIGINAL_PACKAGE));
    return original.matcher(value).replaceAll(Matcher.quoteReplacement(runtimePackage));
  }
}
