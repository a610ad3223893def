package io.zdl.spark.kafka.security;

/** {@link ForeignCallbackHandler} standing in for {@code sasl.client.callback.handler.class}. */
public final class ForeignClientCallbackHandler extends ForeignCallbackHandler {
  /** Where {@link KafkaPlugins} moves the plugin's class name. */
  public static final String CLASS_SETTING = "zdl.plugin.sasl.client.callback.handler.class";

  @Override
  String classSetting() {
    return CLASS_SETTING;
  }
}
