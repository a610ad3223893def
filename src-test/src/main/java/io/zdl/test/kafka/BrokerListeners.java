package io.zdl.test.kafka;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Listeners a {@link KafkaBroker} opens besides its PLAINTEXT one (which the harness's own admin and producers,
 * the inter-broker and the controller traffic keep using), with the broker settings they need. Immutable.
 */
public final class BrokerListeners {
  private static final BrokerListeners NONE = new BrokerListeners(Map.of(), Map.of());

  /** Listener name to security protocol, in order. */
  private final Map<String, String> protocols;
  private final Map<String, String> config;

  private BrokerListeners(Map<String, String> protocols, Map<String, String> config) {
    this.protocols = Collections.unmodifiableMap(new LinkedHashMap<>(protocols));
    this.config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
  }

  public static BrokerListeners none() {
    return NONE;
  }

  /** Adds a listener named {@code name} (upper case, e.g. {@code SASL_PLAINTEXT}) speaking {@code protocol}. */
  public BrokerListeners listener(String name, String protocol) {
    Map<String, String> p = new LinkedHashMap<>(protocols);
    p.put(name, protocol);
    return new BrokerListeners(p, config);
  }

  /** Adds a broker setting, e.g. {@code sasl.enabled.mechanisms} or a per-listener JAAS config. */
  public BrokerListeners config(String key, String value) {
    Map<String, String> c = new LinkedHashMap<>(config);
    c.put(key, value);
    return new BrokerListeners(protocols, c);
  }

  Map<String, String> protocols() {
    return protocols;
  }

  Map<String, String> config() {
    return config;
  }
}
