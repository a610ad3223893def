package io.zdl.spark.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class SinkOffsetKeysTest {
  @Test
  void aStatefulQuerysBatchEntryNeverParsesAsAPartitionsOffset() {
    String batchKey = SinkOffsetKeys.batchAppId("default", "6f1c0b3e-1d2a-4c55-9a43-0e6f0f1b2c3d");
    assertEquals("zdl-delta-batch/default/6f1c0b3e-1d2a-4c55-9a43-0e6f0f1b2c3d", batchKey);
    assertNull(SinkOffsetKeys.parse("default", batchKey));
    assertNull(SinkOffsetKeys.parse("zdl-delta-batch", batchKey));
  }

  @Test
  void aPartitionsOffsetEntryParsesBack() {
    TopicPartition tp = new TopicPartition("orders.v1", 3);
    assertEquals(tp, SinkOffsetKeys.parse("default", SinkOffsetKeys.appId("default", tp)));
  }
}
