package io.zdl.spark.kafka.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.security.Security;
import java.util.Collections;
import javax.security.auth.callback.CallbackHandler;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import org.apache.kafka.common.security.authenticator.SaslClientCallbackHandler;
import org.junit.jupiter.api.Test;

/** The JDK's own {@link Sasl} lookup, with the router installed. */
class SaslClientRouterTest {

  @Test
  void installPutsTheRouterFirstOnce() {
    SaslClientRouter.install();
    SaslClientRouter.install();
    assertEquals(SaslClientRouter.NAME, Security.getProviders()[0].getName());
    long routers = java.util.Arrays.stream(Security.getProviders())
        .filter(p -> p.getName().equals(SaslClientRouter.NAME)).count();
    assertEquals(1, routers);
  }

  @Test
  void kafkaCallbackHandlersGetTheSaslClientOfTheirOwnKafkaCopy() throws Exception {
    SaslClientRouter.install();
    for (String mechanism : new String[] {"OAUTHBEARER", "SCRAM-SHA-256", "SCRAM-SHA-512"}) {
      SaslClient client = Sasl.createSaslClient(new String[] {mechanism}, null, "kafka", "127.0.0.1",
          Collections.<String, Object>emptyMap(), new SaslClientCallbackHandler());
      assertNotNull(client, mechanism);
      assertEquals(mechanism, client.getMechanismName());
      assertEquals(SaslClientCallbackHandler.class.getClassLoader(), client.getClass().getClassLoader());
    }
  }

  @Test
  void otherCallbackHandlersAreLeftToTheNextProvider() throws Exception {
    CallbackHandler notKafka = callbacks -> { };
    assertNull(new KafkaSaslClientFactory().createSaslClient(new String[] {"OAUTHBEARER"}, null, "kafka",
        "127.0.0.1", Collections.<String, Object>emptyMap(), notKafka));
  }
}
