package io.zdl.it.auth;

import io.zdl.test.kafka.KafkaAuth;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;

/**
 * A user's SASL client callback handler built against plain {@code org.apache.kafka}, as third-party plugins are:
 * answers PLAIN's name and password callbacks, and counts how often the client asked.
 */
public final class PlainKafkaPasswordHandler implements AuthenticateCallbackHandler {
  static final AtomicInteger CALLS = new AtomicInteger();

  @Override
  public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
  }

  @Override
  public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
    CALLS.incrementAndGet();
    for (Callback c : callbacks) {
      if (c instanceof NameCallback) {
        ((NameCallback) c).setName(KafkaAuth.USER);
      } else if (c instanceof PasswordCallback) {
        ((PasswordCallback) c).setPassword(KafkaAuth.PLAIN_PASSWORD.toCharArray());
      } else {
        throw new UnsupportedCallbackException(c);
      }
    }
  }

  @Override
  public void close() {
  }
}
