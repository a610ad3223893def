package io.zdl.it.auth;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.oauthbearer.internals.unsecured.OAuthBearerUnsecuredLoginCallbackHandler;

/**
 * A user's OAUTHBEARER login callback handler built against plain {@code org.apache.kafka}, as aws-msk-iam-auth's
 * IAMOAuthBearerLoginCallbackHandler is: hands out the unsecured tokens of that Kafka client's own handler, and
 * counts the token requests.
 */
public final class PlainKafkaTokenHandler implements AuthenticateCallbackHandler {
  static final AtomicInteger TOKENS = new AtomicInteger();
  private final OAuthBearerUnsecuredLoginCallbackHandler delegate = new OAuthBearerUnsecuredLoginCallbackHandler();

  @Override
  public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
    delegate.configure(configs, saslMechanism, jaasConfigEntries);
  }

  @Override
  public void handle(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
    TOKENS.incrementAndGet();
    delegate.handle(callbacks);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
