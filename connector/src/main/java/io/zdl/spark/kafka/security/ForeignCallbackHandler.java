package io.zdl.spark.kafka.security;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.auth.SaslExtensions;
import org.apache.kafka.common.security.auth.SaslExtensionsCallback;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerToken;
import org.apache.kafka.common.security.oauthbearer.OAuthBearerTokenCallback;

/**
 * Runs a SASL callback handler built against another copy of the Kafka client (plain {@code org.apache.kafka}, as
 * third-party plugins such as aws-msk-iam-auth are) inside zdl's relocated client. Its methods take JDK types
 * only, so they are called by reflection; callbacks of JDK or plugin types pass through as they are, and Kafka's
 * own OAUTHBEARER token and SASL extension callbacks are translated between the two copies.
 */
abstract class ForeignCallbackHandler implements AuthenticateCallbackHandler {
  private Object handler;
  private String prefix;
  private ClassLoader loader;

  /** The setting that names the foreign class, put there by {@link KafkaPlugins}. */
  abstract String classSetting();

  @Override
  public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
    Object name = configs.get(classSetting());
    if (name == null) {
      throw new KafkaException("zdl-kafka: " + classSetting() + " is not set; name the plugin class in the usual "
          + "setting and zdl-kafka fills this one in");
    }
    try {
      Class<?> type = KafkaPlugins.load(name.toString());
      Class<?> foreignInterface = KafkaPlugins.kafkaInterface(type, KafkaPlugins.CALLBACK_HANDLER);
      prefix = KafkaPlugins.prefixOf(foreignInterface, KafkaPlugins.CALLBACK_HANDLER);
      loader = foreignInterface.getClassLoader();
      handler = type.getDeclaredConstructor().newInstance();
      foreignInterface.getMethod("configure", Map.class, String.class, List.class)
          .invoke(handler, configs, saslMechanism, jaasConfigEntries);
    } catch (InvocationTargetException e) {
      throw new KafkaException("The SASL plugin " + name + " failed to configure itself: " + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new KafkaException("Cannot create the SASL plugin " + name + ": " + e, e);
    }
  }

  @Override
  public void handle(Callback[] callbacks) throws java.io.IOException, UnsupportedCallbackException {
    for (Callback callback : callbacks) {
      if (callback instanceof OAuthBearerTokenCallback) {
        handleToken((OAuthBearerTokenCallback) callback);
      } else if (callback instanceof SaslExtensionsCallback) {
        handleExtensions((SaslExtensionsCallback) callback);
      } else {
        call("handle", new Class<?>[] {Callback[].class}, new Object[] {new Callback[] {callback}});
      }
    }
  }

  @Override
  public void close() {
    if (handler != null) {
      try {
        call("close", new Class<?>[0], new Object[0]);
      } catch (java.io.IOException | UnsupportedCallbackException e) {
        throw new KafkaException(e);
      }
    }
  }

  private void handleToken(OAuthBearerTokenCallback callback) throws java.io.IOException, UnsupportedCallbackException {
    Object foreign = newForeign("common.security.oauthbearer.OAuthBearerTokenCallback");
    call("handle", new Class<?>[] {Callback[].class}, new Object[] {new Callback[] {(Callback) foreign}});
    Object token = get(foreign, "token");
    if (token != null) {
      callback.token(new TranslatedToken(token));
    } else if (get(foreign, "errorCode") != null) {
      callback.error((String) get(foreign, "errorCode"), (String) get(foreign, "errorDescription"),
          (String) get(foreign, "errorUri"));
    }
  }

  private void handleExtensions(SaslExtensionsCallback callback) throws java.io.IOException,
      UnsupportedCallbackException {
    Object foreign = newForeign("common.security.auth.SaslExtensionsCallback");
    call("handle", new Class<?>[] {Callback[].class}, new Object[] {new Callback[] {(Callback) foreign}});
    Object extensions = get(foreign, "extensions");
    if (extensions != null) {
      @SuppressWarnings("unchecked")
      Map<String, String> map = (Map<String, String>) get(extensions, "map");
      callback.extensions(new SaslExtensions(map));
    }
  }

  private Object newForeign(String kafkaClass) {
    try {
      return Class.forName(prefix + KafkaPlugins.KAFKA_PACKAGE + kafkaClass, true, loader).getDeclaredConstructor()
          .newInstance();
    } catch (ReflectiveOperationException e) {
      throw new KafkaException("Cannot create " + kafkaClass + " of the plugin's Kafka client: " + e, e);
    }
  }

  private void call(String method, Class<?>[] types, Object[] args) throws java.io.IOException,
      UnsupportedCallbackException {
    try {
      Method m = KafkaPlugins.kafkaInterface(handler.getClass(), KafkaPlugins.CALLBACK_HANDLER).getMethod(method, types);
      m.invoke(handler, args);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof java.io.IOException) {
        throw (java.io.IOException) cause;
      }
      if (cause instanceof UnsupportedCallbackException) {
        throw (UnsupportedCallbackException) cause;
      }
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      throw new KafkaException(cause);
    } catch (ReflectiveOperationException e) {
      throw new KafkaException(e);
    }
  }

  static Object get(Object target, String method) {
    try {
      Method m = target.getClass().getMethod(method);
      m.setAccessible(true);
      return m.invoke(target);
    } catch (InvocationTargetException e) {
      throw new KafkaException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new KafkaException(e);
    }
  }

  /** The plugin's token, seen through this client's interface. */
  private static final class TranslatedToken implements OAuthBearerToken {
    private final Object token;

    TranslatedToken(Object token) {
      this.token = token;
    }

    @Override
    public String value() {
      return (String) get(token, "value");
    }

    @Override
    @SuppressWarnings("unchecked")
    public Set<String> scope() {
      return (Set<String>) get(token, "scope");
    }

    @Override
    public long lifetimeMs() {
      return (Long) get(token, "lifetimeMs");
    }

    @Override
    public String principalName() {
      return (String) get(token, "principalName");
    }

    @Override
    public Long startTimeMs() {
      return (Long) get(token, "startTimeMs");
    }

    /** The token is a secret: never in a log line. */
    @Override
    public String toString() {
      return "OAuthBearerToken(from a SASL plugin)";
    }
  }
}
