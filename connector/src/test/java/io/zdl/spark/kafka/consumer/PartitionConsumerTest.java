package io.zdl.spark.kafka.consumer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.error.ZdlException;
import io.zdl.spark.loss.DataLossPolicy;
import io.zdl.spark.loss.SkippedRange;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

/** A consumer whose broker is not there: the read ends in a coded error in bounded time, never a hang. */
class PartitionConsumerTest {
  @Test
  void anUnreachableBrokerMidReadIsAFetchTimeoutNamingThePartitionAndOffset() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) { // a loopback port nobody listens on once closed
      port = s.getLocalPort();
    }
    Map<String, Object> params = new HashMap<>();
    params.put("bootstrap.servers", "127.0.0.1:" + port);
    params.put("key.deserializer", ByteArrayDeserializer.class);
    params.put("value.deserializer", ByteArrayDeserializer.class);
    params.put("group.id", "zdl-unit");
    params.put("enable.auto.commit", "false");
    params.put("auto.offset.reset", "none");
    params.put("default.api.timeout.ms", "1000");
    params.put("request.timeout.ms", "500");
    params.put("reconnect.backoff.max.ms", "100");
    TopicPartition tp = new TopicPartition("gone", 3);
    DataLossPolicy fail = new DataLossPolicy(true, SkippedRange.DetectedOn.EXECUTOR, null);
    try (PartitionConsumer consumer = new PartitionConsumer(new ConsumerPool.Key(params, tp), params)) {
      ZdlException e = assertThrows(ZdlException.class, () -> consumer.next(42, 50, 300, fail));
      assertTrue(e.getMessage().contains("ZDL_KAFKA_FETCH_TIMEOUT") && e.getMessage().contains("topic gone partition 3")
          && e.getMessage().contains("offset 42") && e.getMessage().contains("kafka.bootstrap.servers"), e.getMessage());
    }
  }
}
