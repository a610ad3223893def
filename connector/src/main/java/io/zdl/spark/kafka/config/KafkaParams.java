package io.zdl.spark.kafka.config;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.security.KafkaPlugins;
import java.io.Serializable;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The {@code kafka.*} options, with the prefix removed, and the client settings built from them.
 * Settings that would take offset tracking away from the checkpoint are refused here, once.
 */
public final class KafkaParams implements Serializable {
  private static final Map<String, String> REFUSED;

  static {
    Map<String, String> refused = new LinkedHashMap<>();
    refused.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
        "zdl-kafka decides where to read: use the option startingOffsets (earliest, latest or JSON) for a new "
            + "query; a restarted query continues from its checkpoint");
    refused.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
        "zdl-kafka never commits offsets to Kafka; its progress lives in the checkpoint");
    refused.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
        "keys are always read as bytes; deserialize with DataFrame operations, e.g. CAST(key AS STRING)");
    refused.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
        "values are always read as bytes; deserialize with DataFrame operations, e.g. CAST(value AS STRING) or from_json");
    refused.put(ConsumerConfig.INTERCEPTOR_CLASSES_CONFIG,
        "consumer interceptors would also see the records of retried and replayed tasks");
    REFUSED = Collections.unmodifiableMap(refused);
  }

  /** Spark's default too: a larger socket buffer than Kafka's 64 KB default costs memory per consumer. */
  private static final String RECEIVE_BUFFER_DEFAULT = "65536";
  /**
   * Kafka's default of 500 hands a fetch over in slices, and the consumer sends the next fetch of a
   * partition only once the last slice is taken: with a poll that takes the whole fetch, the next
   * fetch travels while the task converts this one's records. The fetch size
   * ({@code max.partition.fetch.bytes}) still bounds what a poll holds.
   */
  static final String MAX_POLL_RECORDS_DEFAULT = "100000";

  private final Map<String, String> params;

  private KafkaParams(Map<String, String> params) {
    this.params = Collections.unmodifiableMap(new TreeMap<>(params));
  }

  /** Picks the {@code kafka.*} entries out of all source options; keys are case-insensitive as in Spark. */
  public static KafkaParams fromOptions(Map<String, String> options) {
    Map<String, String> params = new TreeMap<>();
    for (Map.Entry<String, String> e : options.entrySet()) {
      String key = e.getKey().toLowerCase(Locale.ROOT);
      if (key.startsWith(KafkaSourceOptions.KAFKA_PREFIX)) {
        String kafkaKey = key.substring(KafkaSourceOptions.KAFKA_PREFIX.length());
        String why = REFUSED.get(kafkaKey);
        if (why != null) {
          throw new ZdlException(ZdlErrors.UNSUPPORTED_KAFKA_OPTION,
              String.format("Option %s%s is not supported: %s", KafkaSourceOptions.KAFKA_PREFIX, kafkaKey, why));
        }
        params.put(kafkaKey, e.getValue());
      }
    }
    String servers = params.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG);
    if (servers == null || servers.trim().isEmpty()) {
      throw ZdlErrors.invalidOption(KafkaSourceOptions.BOOTSTRAP_SERVERS,
          "it is required: set it to the host:port list of your Kafka brokers");
    }
    String isolation = params.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG);
    if (isolation != null && !isolation.equals("read_committed") && !isolation.equals("read_uncommitted")) {
      throw ZdlErrors.invalidOption(KafkaSourceOptions.KAFKA_PREFIX + ConsumerConfig.ISOLATION_LEVEL_CONFIG,
          isolation, "read_committed or read_uncommitted");
    }
    return new KafkaParams(params);
  }

  public IsolationLevel isolationLevel() {
    String isolation = params.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG);
    return "read_committed".equals(isolation) ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED;
  }

  /** {@code kafka.group.id} if the user set one, else null. */
  public String userGroupId() {
    return params.get(ConsumerConfig.GROUP_ID_CONFIG);
  }

  /** Settings for the driver's AdminClient: those it knows, so consumer-only settings raise no warnings. */
  public Map<String, Object> adminParams() {
    Map<String, String> admin = new HashMap<>(params);
    admin.keySet().retainAll(AdminClientConfig.configNames());
    return relocated(admin);
  }

  /** Settings for an executor consumer that reads assigned partitions and never commits. */
  public Map<String, Object> consumerParams(String groupId) {
    Map<String, String> consumer = new HashMap<>(params);
    consumer.putIfAbsent(ConsumerConfig.RECEIVE_BUFFER_CONFIG, RECEIVE_BUFFER_DEFAULT);
    consumer.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, MAX_POLL_RECORDS_DEFAULT);
    Map<String, Object> result = neverCommitting(consumer);
    result.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    return result;
  }

  /**
   * Settings for the driver's offset-lookup consumer: the user's connection and security settings; it
   * never joins a group (no {@code group.id}), polls or commits.
   */
  public Map<String, Object> offsetLookupParams() {
    Map<String, String> consumer = new HashMap<>(params);
    consumer.remove(ConsumerConfig.GROUP_ID_CONFIG);
    consumer.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    return neverCommitting(consumer);
  }

  /** {@code settings}, relocated, for a consumer of raw bytes that never commits nor jumps on its own. */
  private static Map<String, Object> neverCommitting(Map<String, String> settings) {
    Map<String, Object> result = relocated(settings);
    result.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    result.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    result.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    // an offset out of range must surface as an exception, never as a silent jump
    result.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    return result;
  }

  private static Map<String, Object> relocated(Map<String, String> params) {
    Map<String, Object> result = new HashMap<>();
    for (Map.Entry<String, String> e : params.entrySet()) {
      result.put(e.getKey(), RelocatedKafkaClassNames.relocate(e.getValue()));
    }
    KafkaPlugins.adapt(result);
    return result;
  }

  /** Refuses a source that Spark's delegation tokens ({@code spark.kafka.clusters.*}, given) would log in. */
  public void checkDelegationTokens(Map<String, String> sparkConfClusters) {
    DelegationTokenClusters.check(sparkConfClusters, params.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG),
        params.containsKey(SaslConfigs.SASL_JAAS_CONFIG));
  }

  /** Keys only: values may be secrets and never go to logs, plans or checkpoints. */
  @Override
  public String toString() {
    return "KafkaParams" + params.keySet();
  }
}
