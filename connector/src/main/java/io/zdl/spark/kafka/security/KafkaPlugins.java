package io.zdl.spark.kafka.security;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;

/**
 * SASL plugin classes named in the {@code kafka.*} options, checked once where the options are parsed. zdl's
 * Kafka client is relocated; a callback handler built against another copy of Kafka (plain {@code org.apache.kafka},
 * as aws-msk-iam-auth and most vendors' plugins are) is run through {@link ForeignCallbackHandler} instead of
 * failing inside the client with a ClassCastException. What cannot be adapted is refused with a coded error.
 */
public final class KafkaPlugins {
  // Built at run time: the shade plugin rewrites string constants that start with the Kafka package.
  static final String KAFKA_PACKAGE = String.join(".", "org", "apache", "kafka") + ".";
  static final String CALLBACK_HANDLER = "common.security.auth.AuthenticateCallbackHandler";
  static final String CLIENT_HANDLER = "sasl.client.callback.handler.class";
  static final String LOGIN_HANDLER = "sasl.login.callback.handler.class";
  static final String LOGIN_CLASS = "sasl.login.class";

  private KafkaPlugins() {}

  /** Rewrites {@code params} (the client settings, names already relocated) so foreign handlers are adapted. */
  public static void adapt(Map<String, Object> params) {
    adaptHandler(params, CLIENT_HANDLER, ForeignClientCallbackHandler.class, ForeignClientCallbackHandler.CLASS_SETTING);
    adaptHandler(params, LOGIN_HANDLER, ForeignLoginCallbackHandler.class, ForeignLoginCallbackHandler.CLASS_SETTING);
    Object login = params.get(LOGIN_CLASS);
    Class<?> type = login instanceof String ? loadOrNull((String) login) : null;
    if (type != null && foreign(type, "common.security.auth.Login")) {
      throw new ZdlException(ZdlErrors.KAFKA_PLUGIN_UNSUPPORTED, String.format(
          "Option kafka.%s=%s is a Login built against another Kafka client (%s); zdl-kafka runs its own Kafka "
              + "client relocated under %s, and cannot adapt a Login class. Use the plugin's callback handler "
              + "options (kafka.sasl.login.callback.handler.class, kafka.sasl.client.callback.handler.class), which "
              + "zdl-kafka adapts, or read this topic with format(\"kafka\")",
          LOGIN_CLASS, login, kafkaInterface(type, "common.security.auth.Login").getName(), runtimePrefix()));
    }
  }

  private static void adaptHandler(Map<String, Object> params, String key, Class<?> adapter, String classSetting) {
    Object value = params.get(key);
    if (!(value instanceof String)) {
      return;
    }
    Class<?> type = loadOrNull((String) value);
    if (type == null || AuthenticateCallbackHandler.class.isAssignableFrom(type)) {
      return; // not loadable here (Kafka reports it), or built for this client
    }
    if (kafkaInterface(type, CALLBACK_HANDLER) == null) {
      throw new ZdlException(ZdlErrors.KAFKA_PLUGIN_UNSUPPORTED, String.format(
          "Option kafka.%s=%s does not implement Kafka's AuthenticateCallbackHandler; name a SASL callback handler "
              + "class", key, value));
    }
    params.put(classSetting, value);
    params.put(key, adapter.getName());
  }

  /** True if {@code type} implements the Kafka interface {@code kafkaClass} of another Kafka copy than this one. */
  private static boolean foreign(Class<?> type, String kafkaClass) {
    Class<?> i = kafkaInterface(type, kafkaClass);
    return i != null && !prefixOf(i, kafkaClass).equals(runtimePrefix());
  }

  /** The {@code <prefix>org.apache.kafka.<kafkaClass>} interface {@code type} implements, of any Kafka copy. */
  static Class<?> kafkaInterface(Class<?> type, String kafkaClass) {
    return find(type, KAFKA_PACKAGE + kafkaClass, new HashSet<Class<?>>());
  }

  private static Class<?> find(Class<?> type, String suffix, Set<Class<?>> seen) {
    if (type == null || !seen.add(type)) {
      return null;
    }
    String name = type.getName();
    if (type.isInterface() && name.endsWith(suffix)
        && (name.length() == suffix.length() || name.charAt(name.length() - suffix.length() - 1) == '.')) {
      return type;
    }
    for (Class<?> i : type.getInterfaces()) {
      Class<?> found = find(i, suffix, seen);
      if (found != null) {
        return found;
      }
    }
    return find(type.getSuperclass(), suffix, seen);
  }

  static String prefixOf(Class<?> kafkaInterface, String kafkaClass) {
    String name = kafkaInterface.getName();
    return name.substring(0, name.length() - (KAFKA_PACKAGE + kafkaClass).length());
  }

  /** The relocation prefix of the client this jar runs, e.g. {@code io.zdl.shaded.}, or empty. */
  static String runtimePrefix() {
    return prefixOf(AuthenticateCallbackHandler.class, CALLBACK_HANDLER);
  }

  static Class<?> load(String name) throws ClassNotFoundException {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    try {
      return Class.forName(name, false, context != null ? context : KafkaPlugins.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      return Class.forName(name, false, KafkaPlugins.class.getClassLoader());
    }
  }

  private static Class<?> loadOrNull(String name) {
    try {
      return load(name.trim());
    } catch (ClassNotFoundException | LinkageError e) {
      return null;
    }
  }
}
