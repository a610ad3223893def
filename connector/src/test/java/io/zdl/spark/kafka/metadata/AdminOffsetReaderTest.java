package io.zdl.spark.kafka.metadata;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

class AdminOffsetReaderTest {

  @Test
  void anInterruptedLookupSurfacesAsAnInterruptionSoSparkSeesACleanStop() {
    Map<String, Object> params = new HashMap<>();
    params.put("bootstrap.servers", "127.0.0.1:1"); // nothing listens: the call would wait, not fail
    try (AdminOffsetReader reader = new AdminOffsetReader(params,
        TopicSubscription.topics(Collections.singletonList("t")), IsolationLevel.READ_UNCOMMITTED, 3, 1000)) {
      Thread.currentThread().interrupt(); // what query.stop() does to the stream thread
      UncheckedIOException e = assertThrows(UncheckedIOException.class, reader::partitions);
      assertInstanceOf(InterruptedIOException.class, e.getCause());
      assertInstanceOf(InterruptedException.class, e.getCause().getCause());
      assertTrue(Thread.interrupted(), "the interrupt flag must stay set for the caller");
    }
  }

  @Test
  void anInterruptedCombinedLookupSurfacesAsAnInterruptionToo() {
    Map<String, Object> params = new HashMap<>();
    params.put("bootstrap.servers", "127.0.0.1:1");
    Map<String, Object> lookupParams = new HashMap<>(params);
    lookupParams.put("key.deserializer", ByteArrayDeserializer.class);
    lookupParams.put("value.deserializer", ByteArrayDeserializer.class);
    try (AdminOffsetReader reader = new AdminOffsetReader(params, lookupParams,
        TopicSubscription.topics(Collections.singletonList("t")), IsolationLevel.READ_UNCOMMITTED, 3, 1000)) {
      Thread.currentThread().interrupt();
      UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> reader.partitionsWithOffsets(
          Collections.singleton(new TopicPartition("t", 0)), new HashMap<>(), new HashMap<>()));
      assertInstanceOf(InterruptedIOException.class, e.getCause());
      assertTrue(Thread.interrupted(), "the interrupt flag must stay set for the caller");
    }
  }
}
