package io.zdl.spark.kafka.security;

import java.security.Provider;
import java.security.Security;

/**
 * Lets several copies of the Kafka client share one JVM: the runtime's own (used by Spark's {@code kafka}
 * source), zdl's relocated one, a vendor's ({@code kafkashaded.}). Kafka registers its OAUTHBEARER and SCRAM
 * SASL clients as JVM-wide {@code java.security} providers under fixed names; the first copy to register wins,
 * and the other copies' clients are then handed a factory that refuses their callback handlers ("Callback
 * handler must be castable to ..."). This provider, placed first, routes each request to the factory of the
 * Kafka copy its callback handler belongs to, whichever copy registered first; for a handler of no Kafka copy
 * it answers null and the JDK asks the next provider.
 */
public final class SaslClientRouter extends Provider {
  private static final long serialVersionUID = 1L;
  static final String NAME = "zdl SASL client router";

  private SaslClientRouter() {
    super(NAME, 1.0, "Routes Kafka's OAUTHBEARER and SCRAM SASL clients to the Kafka copy of the callback handler");
    for (String mechanism : KafkaSaslClientFactory.MECHANISMS) {
      put("SaslClientFactory." + mechanism, KafkaSaslClientFactory.class.getName());
    }
  }

  /** Idempotent; call before this JVM creates a Kafka client. */
  public static synchronized void install() {
    if (Security.getProvider(NAME) == null) {
      Security.insertProviderAt(new SaslClientRouter(), 1);
    }
  }
}
