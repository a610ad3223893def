package kafkashaded.org.apache.kafka.common.security.auth;

import java.util.List;
import java.util.Map;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.login.AppConfigurationEntry;

/** Stands for another copy of the Kafka client (Databricks relocates its own under kafkashaded.) in unit tests. */
public interface AuthenticateCallbackHandler extends CallbackHandler {
  void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries);

  void close();
}
