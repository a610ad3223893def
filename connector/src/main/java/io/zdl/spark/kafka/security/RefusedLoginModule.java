package io.zdl.spark.kafka.security;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.security.JaasUtils;

/**
 * The bundled client refuses JAAS login modules that can reach a directory server (JndiLoginModule, LdapLoginModule:
 * CVE-2023-25194, CVE-2025-27818) when it is created. kafka-clients 4.x says so with the unrelocated property names
 * (its message is built by string concatenation the shade plugin cannot rewrite), which the bundled client does not
 * read; this coded error names the option at fault and the relocated property that allows the module.
 */
public final class RefusedLoginModule {
  private static final Pattern REFUSED = Pattern.compile("^(\\S+) is not allowed\\.");

  private RefusedLoginModule() {}

  /** Throws the coded error if {@code t} or one of its causes is the client refusing a login module. */
  public static void rethrowIfRefused(Throwable t) {
    for (Throwable c = t; c != null && c.getCause() != c; c = c.getCause()) {
      if (c instanceof IllegalArgumentException && c.getMessage() != null && c.getMessage().contains("login.modules")) {
        Matcher m = REFUSED.matcher(c.getMessage());
        if (m.find()) {
          throw refused(m.group(1), c);
        }
      }
    }
  }

  private static ZdlException refused(String module, Throwable cause) {
    String allowlist = jaasUtilsConstant("ALLOWED_LOGIN_MODULES_CONFIG");
    String fix = allowlist != null
        ? "-D" + allowlist + "=" + module + " (a comma-separated list of the modules allowed)"
        : "-D" + jaasUtilsConstant("DISALLOWED_LOGIN_MODULES_CONFIG") + "= set to the modules still refused, without "
            + module;
    return new ZdlException(ZdlErrors.INVALID_OPTION, "Invalid option kafka.sasl.jaas.config: the bundled Kafka "
        + "client refuses the login module " + module + ", which can reach a directory server (CVE-2023-25194, "
        + "CVE-2025-27818). Use a SASL login module (PLAIN, SCRAM, OAUTHBEARER, GSSAPI, AWS_MSK_IAM); to allow this "
        + "one anyway, give the driver and the executors the JVM system property " + fix
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
