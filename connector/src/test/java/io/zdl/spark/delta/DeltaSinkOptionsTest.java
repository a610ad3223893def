package io.zdl.spark.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class DeltaSinkOptionsTest {

  private static Map<String, String> opts(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("path", "/tables/t");
    m.put("checkpointLocation", "/cp");
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void defaultsAndPassThrough() {
    DeltaSinkOptions o = DeltaSinkOptions.parse(opts("maxRecordsPerFile", "1000", "mergeSchema", "true"));
    assertEquals("default", o.sinkId());
    assertFalse(o.allowOffsetGaps());
    assertTrue(o.mergeSchema());
    assertEquals("1000", o.writerOptions().get("maxRecordsPerFile"));
    assertNull(o.writerOptions().get("checkpointLocation"), "Spark's own options are not Delta writer options");
    assertNull(o.writerOptions().get("path"));
  }

  @Test
  void invalidOptionsNameTheOption() {
    Map<String, String> noPath = opts();
    noPath.remove("path");
    for (Map<String, String> bad : java.util.Arrays.asList(noPath, opts("sinkId", "a/b"), opts("sinkId", ""),
        opts("allowOffsetGaps", "yes"), opts("mergeSchema", "1"))) {
      ZdlException e = assertThrows(ZdlException.class, () -> DeltaSinkOptions.parse(bad));
      assertEquals(ZdlErrors.INVALID_OPTION, e.code());
      assertTrue(e.getMessage().contains("path") || e.getMessage().contains("sinkId")
          || e.getMessage().contains("allowOffsetGaps") || e.getMessage().contains("mergeSchema"), e.getMessage());
    }
  }

  @Test
  void aTableNameReplacesThePathButNotBoth() {
    Map<String, String> byName = opts("tableName", "db.events");
    byName.remove("path");
    DeltaSinkOptions o = DeltaSinkOptions.parse(byName);
    assertEquals("db.events", o.tableName());
    assertNull(o.path());
    assertNull(o.writerOptions().get("tableName"));
    ZdlException e = assertThrows(ZdlException.class, () -> DeltaSinkOptions.parse(opts("tableName", "db.events")));
    assertEquals(ZdlErrors.CONFLICTING_OPTIONS, e.code());
  }

  @Test
  void sinkOffsetKeysParseBackAndIgnoreOtherSinks() {
    TopicPartition tp = new TopicPartition("orders.v2_x-y", 12);
    String appId = SinkOffsetKeys.appId("sink-a", tp);
    assertEquals("zdl-delta/sink-a/orders.v2_x-y/12", appId);
    assertEquals(tp, SinkOffsetKeys.parse("sink-a", appId));
    assertNull(SinkOffsetKeys.parse("sink-b", appId));
    assertNull(SinkOffsetKeys.parse("sink-a", "zdl-delta/sink-a/orders/x"));
    assertNull(SinkOffsetKeys.parse("sink-a", "some-other-app"));
  }

  @Test
  void aNameOneTypoFromASinkOptionIsRefusedNamingIt() {
    ZdlException e = assertThrows(ZdlException.class, () -> DeltaSinkOptions.parse(opts("allowOffsetGap", "true")));
    assertEquals(ZdlErrors.INVALID_OPTION, e.code());
    assertTrue(e.getMessage().contains("allowOffsetGap") && e.getMessage().contains("did you mean allowOffsetGaps?"),
        e.getMessage());
  }

  @Test
  void deltasOwnWriterOptionsStillPassThrough() {
    DeltaSinkOptions o = DeltaSinkOptions.parse(opts("userMetadata", "run-7", "txnAppId", "a", "optimizeWrite", "true",
        "overwriteSchema", "false", "queryName", "q"));
    assertEquals("run-7", o.writerOptions().get("userMetadata"));
    assertEquals("a", o.writerOptions().get("txnAppId"));
    assertEquals("true", o.writerOptions().get("optimizeWrite"));
    assertEquals("false", o.writerOptions().get("overwriteSchema"));
  }
}
