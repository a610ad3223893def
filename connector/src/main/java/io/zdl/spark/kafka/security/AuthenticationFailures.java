package io.zdl.spark.kafka.security;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Turns Kafka's authentication failures (wrong password, expired or refused token, untrusted certificate) into
 * one coded error naming the settings to check. Kafka's own messages carry no secrets; the settings' values are
 * never quoted.
 */
public final class AuthenticationFailures {
  private AuthenticationFailures() {}

  /** The coded error if {@code t} or one of its causes is an authentication failure, else null. */
  public static ZdlException find(Throwable t, String what) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof AuthenticationException) {
        return failed((AuthenticationException) c, what);
      }
      if (c.getCause() == c) {
        break;
      }
    }
    return null;
  }

  /** Rethrows {@code t} as the coded error if it is an authentication failure; otherwise does nothing. */
  public static void rethrowIfAuthentication(Throwable t, String what) {
    ZdlException coded = find(t, what);
    if (coded != null) {
      throw coded;
    }
  }

  private static ZdlException failed(AuthenticationException e, String what) {
    String check = e instanceof SslAuthenticationException
        ? "the TLS settings: kafka.ssl.truststore.location (or kafka.ssl.truststore.certificates) must trust the "
            + "brokers' certificates, and for client certificates kafka.ssl.keystore.location and its passwords"
        : "kafka.security.protocol, kafka.sasl.mechanism and kafka.sasl.jaas.config (the user and password, or the "
            + "token settings such as kafka.sasl.oauthbearer.token.endpoint.url and "
            + "kafka.sasl.login.callback.handler.class)";
    return new ZdlException(ZdlErrors.KAFKA_AUTHENTICATION_FAILED, String.format(
        "Kafka authentication failed while trying to %s: %s: %s. The client and the brokers did not accept each "
            + "other's credentials or certificates; check %s", what, e.getClass().getSimpleName(), e.getMessage(), check), e);
  }
}
