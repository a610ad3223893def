package io.zdl.spark.kafka.security;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import javax.security.auth.callback.CallbackHandler;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslClientFactory;
import javax.security.sasl.SaslException;

/**
 * Registered by {@link SaslClientRouter}: finds the Kafka copy (package prefix and class loader) whose
 * {@code AuthenticateCallbackHandler} the callback handler implements, and delegates to that copy's own
 * factory for the mechanism. Public with a no-argument constructor, as the JDK instantiates it.
 */
public final class KafkaSaslClientFactory implements SaslClientFactory {
  static final String[] MECHANISMS = {"OAUTHBEARER", "SCRAM-SHA-256", "SCRAM-SHA-512"};

  // Built at run time: the shade plugin rewrites string constants that start with the Kafka package.
  private static final String KAFKA_PACKAGE = String.join(".", "org", "apache", "kafka") + ".";
  private static final String HANDLER = KAFKA_PACKAGE + "common.security.auth.AuthenticateCallbackHandler";
  private static final String OAUTHBEARER_FACTORY =
      KAFKA_PACKAGE + "common.security.oauthbearer.internals.OAuthBearerSaslClient$OAuthBearerSaslClientFactory";
  private static final String SCRAM_FACTORY =
      KAFKA_PACKAGE + "common.security.scram.internals.ScramSaslClient$ScramSaslClientFactory";

  @Override
  public SaslClient createSaslClient(String[] mechanisms, String authorizationId, String protocol, String serverName,
      Map<String, ?> props, CallbackHandler cbh) throws SaslException {
    Class<?> handlerType = cbh == null ? null : kafkaHandlerType(cbh.getClass(), new HashSet<Class<?>>());
    if (handlerType == null) {
      return null;
    }
    String prefix = handlerType.getName().substring(0, handlerType.getName().length() - HANDLER.length());
    for (String mechanism : mechanisms) {
      String factoryName = factoryFor(mechanism);
      if (factoryName == null) {
        continue;
      }
      SaslClientFactory factory = instantiate(prefix + factoryName, handlerType.getClassLoader());
      if (factory == null) {
        continue;
      }
      SaslClient client = factory.createSaslClient(new String[] {mechanism}, authorizationId, protocol, serverName,
          props, cbh);
      if (client != null) {
        return client;
      }
    }
    return null;
  }

  @Override
  public String[] getMechanismNames(Map<String, ?> props) {
    return MECHANISMS.clone();
  }

  private static String factoryFor(String mechanism) {
    if ("OAUTHBEARER".equals(mechanism)) {
      return OAUTHBEARER_FACTORY;
    }
    if ("SCRAM-SHA-256".equals(mechanism) || "SCRAM-SHA-512".equals(mechanism)) {
      return SCRAM_FACTORY;
    }
    return null;
  }

  /** The {@code ...org.apache.kafka...AuthenticateCallbackHandler} interface {@code type} implements, if any. */
  private static Class<?> kafkaHandlerType(Class<?> type, Set<Class<?>> seen) {
    if (type == null || !seen.add(type)) {
      return null;
    }
    if (type.isInterface() && type.getName().endsWith(HANDLER)) {
      String prefix = type.getName().substring(0, type.getName().length() - HANDLER.length());
      if (prefix.isEmpty() || prefix.endsWith(".")) {
        return type;
      }
    }
    for (Class<?> i : type.getInterfaces()) {
      Class<?> found = kafkaHandlerType(i, seen);
      if (found != null) {
        return found;
      }
    }
    return kafkaHandlerType(type.getSuperclass(), seen);
  }

  /** Null when that Kafka copy lacks the factory (then the JDK asks the next provider). */
  private static SaslClientFactory instantiate(String className, ClassLoader loader) {
    try {
      Class<?> c = Class.forName(className, true, loader);
      return (SaslClientFactory) c.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
      return null;
    }
  }
}
