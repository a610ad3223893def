package io.zdl.spark.kafka.security;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.security.JaasUtils;

/**
 * What the bundled client refuses by JVM system property when it is created, as coded errors naming the option at
 * fault and the relocated property to set: JAAS login modules that can reach a directory server (JndiLoginModule,
 * LdapLoginModule: CVE-2023-25194, CVE-2025-27818), and OAUTHBEARER token endpoint and JWKS URLs or files not allowed
 * (CVE-2025-27817; kafka-clients 4.x allows none by default). kafka-clients 4.x names the login modules' property
 * unrelocated in its own message (built by string concatenation the shade plugin cannot rewrite), which the bundled
 * client does not read.
 */
public final class ClientRestrictions {
  private static final Pattern REFUSED_MODULE = Pattern.compile("^(\\S+) is not allowed\\.");
  /** kafka-clients 4.x's refusal of a URL or file; 3.9.x says REFUSED_URL. */
  private static final Pattern REFUSED_RESOURCE = Pattern.compile(
      "^The (.+) cannot be accessed due to restrictions\\. Update the system property '([^']+)'");
  private static final Pattern REFUSED_URL = Pattern.compile(
      "^(\\S+) is not allowed\\. Update system property '([^']*oauthbearer\\.allowed\\.urls)'");

  private ClientRestrictions() {}

  /** Throws the coded error if {@code t} or one of its causes is the client refusing what a setting names. */
  public static void rethrowIfRestricted(Throwable t) {
    for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
      String message = c.getMessage();
      if (message == null) {
        continue;
      }
      Matcher module = REFUSED_MODULE.matcher(message);
      if (c instanceof IllegalArgumentException && message.contains("login.modules") && module.find()) {
        throw refusedModule(module.group(1), c);
      }
      Matcher resource = REFUSED_RESOURCE.matcher(message);
      if (resource.find()) {
        throw refusedResource(resource.group(1), resource.group(2), c);
      }
      Matcher url = REFUSED_URL.matcher(message);
      if (c instanceof IllegalArgumentException && url.find()) {
        throw refusedResource(url.group(1), url.group(2), c);
      }
    }
  }

  private static ZdlException refusedResource(String resource, String property, Throwable cause) {
    return new ZdlException(ZdlErrors.INVALID_OPTION, "Invalid option kafka.sasl.oauthbearer.token.endpoint.url or "
        + "kafka.sasl.oauthbearer.jwks.endpoint.url: the bundled Kafka client may not access " + resource
        + " (CVE-2025-27817; kafka-clients 4.x allows no URL by default). To allow it, give the driver and the "
        + "executors the JVM system property -D" + property + "=<a comma-separated list that includes it> through "
        + "spark.driver.extraJavaOptions and spark.executor.extraJavaOptions", cause);
  }

  private static ZdlException refusedModule(String module, Throwable cause) {
    String allowlist = jaasUtilsConstant("ALLOWED_LOGIN_MODULES_CONFIG");
    String fix = allowlist != null
        ? "-D" + allowlist + "=" + module + " (a comma-separated list of the modules allowed)"
        : "-D" + jaasUtilsConstant("DISALLOWED_LOGIN_MODULES_CONFIG") + "= set to the modules still refused, without "
            + module;
    return new ZdlException(ZdlErrors.INVALID_OPTION, "Invalid option kafka.sasl.jaas.config: the bundled Kafka "
        + "client refuses the login module " + module + ", which can reach a directory server (CVE-2023-25194, "
        + "CVE-2025-27818). Use the login module of a SASL mechanism (PLAIN, SCRAM, OAUTHBEARER, GSSAPI); to allow "
        + "this one anyway, give the driver and the executors the JVM system property " + fix
        + " through spark.driver.extraJavaOptions and spark.executor.extraJavaOptions", cause);
  }

  /**
   * A property name as the bundled client reads it, or null if its kafka-clients has no such constant (3.9.x has no
   * allowlist, ALLOWED_LOGIN_MODULES_CONFIG). Read at run time: javac would inline the constant, unrelocated, into
   * a string the shade plugin leaves alone.
   */
  static String jaasUtilsConstant(String field) {
    try {
      return (String) JaasUtils.class.getField(field).get(null);
    } catch (NoSuchFieldException | IllegalAccessException e) {
      return null;
    }
  }
}
