package io.zdl.spark.kafka.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.login.AppConfigurationEntry;
import org.junit.jupiter.api.Test;

class KafkaPluginsTest {
  /** A plugin built against another Kafka copy: answers NameCallback with what configure gave it. */
  public static final class OtherKafkaHandler
      implements kafkashaded.org.apache.kafka.common.security.auth.AuthenticateCallbackHandler {
    private String name;

    @Override
    public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> entries) {
      name = saslMechanism + ":" + configs.get("client.id");
    }

    @Override
    public void handle(Callback[] callbacks) {
      ((NameCallback) callbacks[0]).setName(name);
    }

    @Override
    public void close() {
    }
  }

  @Test
  void aCallbackHandlerOfAnotherKafkaCopyIsWrappedAndCalled() throws Exception {
    Map<String, Object> params = new HashMap<>();
    params.put("client.id", "c1");
    params.put("sasl.client.callback.handler.class", OtherKafkaHandler.class.getName());
    KafkaPlugins.adapt(params);
    assertEquals(ForeignClientCallbackHandler.class.getName(), params.get("sasl.client.callback.handler.class"));
    assertEquals(OtherKafkaHandler.class.getName(), params.get(ForeignClientCallbackHandler.CLASS_SETTING));

    ForeignClientCallbackHandler handler = new ForeignClientCallbackHandler();
    handler.configure(params, "PLAIN", Collections.<AppConfigurationEntry>emptyList());
    NameCallback name = new NameCallback("name");
    handler.handle(new Callback[] {name});
    assertEquals("PLAIN:c1", name.getName());
    handler.close();
  }

  @Test
  void aHandlerOptionNamingNoCallbackHandlerIsRefusedWithACode() {
    Map<String, Object> params = new HashMap<>();
    params.put("sasl.login.callback.handler.class", String.class.getName());
    ZdlException e = assertThrows(ZdlException.class, () -> KafkaPlugins.adapt(params));
    assertEquals(ZdlErrors.KAFKA_PLUGIN_UNSUPPORTED, e.code());
    assertTrue(e.getMessage().contains("kafka.sasl.login.callback.handler.class"), e.getMessage());
  }

  @Test
  void handlersOfThisClientAndUnloadableNamesAreLeftToKafka() {
    Map<String, Object> params = new HashMap<>();
    params.put("sasl.client.callback.handler.class",
        org.apache.kafka.common.security.authenticator.SaslClientCallbackHandler.class.getName());
    params.put("sasl.login.callback.handler.class", "com.example.NotOnTheClasspath");
    Map<String, Object> before = new HashMap<>(params);
    KafkaPlugins.adapt(params);
    assertEquals(before, params);
  }
}
