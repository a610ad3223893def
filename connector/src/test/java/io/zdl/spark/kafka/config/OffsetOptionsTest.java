package io.zdl.spark.kafka.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.offset.OffsetsInitializer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Starting and ending options: one of each triple, values checked, and what each read mode allows. */
class OffsetOptionsTest {

  private static Map<String, String> base(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("kafka.bootstrap.servers", "127.0.0.1:9092");
    m.put("subscribe", "events");
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i + 1] == null) {
        m.remove(kv[i]);
      } else {
        m.put(kv[i], kv[i + 1]);
      }
    }
    return m;
  }

  private static OptionReader reader(Map<String, String> options) {
    return OptionReader.of("zdl-kafka", options);
  }

  /** Asserts that a streaming read of the options fails with the code and a message naming every given word. */
  private static ZdlException assertRefused(Map<String, String> options, String code, String... mentions) {
    ZdlException e = assertThrows(ZdlException.class,
        () -> OffsetOptions.parse(reader(options)).startingOffsetsForStream(), options.toString());
    assertEquals(code, e.code(), e.getMessage());
    for (String m : mentions) {
      assertTrue(e.getMessage().contains(m), "'" + m + "' not in: " + e.getMessage());
    }
    return e;
  }

  @Test
  void startingFromATableWrapsTheStartingOption() {
    OffsetsInitializer start = OffsetOptions.parse(reader(base("startingOffsetsFromTable", " /t ",
        "startingOffsets", "earliest"))).startingOffsetsForStream();
    assertTrue(!start.isEarliest() && !start.isLatest(), start.toString());
    assertRefused(base("startingOffsetsFromTable", " "), ZdlErrors.INVALID_OPTION, "startingOffsetsFromTable");
    assertRefused(base("startingOffsetsFromTable.sinkId", "s"), ZdlErrors.INVALID_OPTION,
        "startingOffsetsFromTable.sinkId", "startingOffsetsFromTable");
  }

  @Test
  void theByTimestampStrategyIsAChoice() {
    assertRefused(base("startingOffsetsByTimestampStrategy", "first"), ZdlErrors.INVALID_OPTION,
        "startingOffsetsByTimestampStrategy", "error, latest");
  }

  @Test
  void startingOffsetsAreValidated() {
    assertRefused(base("startingOffsets", "newest"), ZdlErrors.INVALID_OPTION, "startingOffsets", "newest");
    assertRefused(base("startingOffsets", "{\"t\":{\"0\":"), ZdlErrors.INVALID_OPTION, "startingOffsets");
    assertRefused(base("startingOffsets", "{\"t\":{\"0\":-3}}"), ZdlErrors.INVALID_OPTION, "startingOffsets", "-3");
    assertRefused(base("startingTimestamp", "yesterday"), ZdlErrors.INVALID_OPTION, "startingTimestamp");
    assertRefused(base("startingTimestamp", "-5"), ZdlErrors.INVALID_OPTION, "startingTimestamp");
    assertRefused(base("startingOffsetsByTimestamp", "{\"t\":{\"0\":-5}}"), ZdlErrors.INVALID_OPTION,
        "startingOffsetsByTimestamp");
  }

  @Test
  void startingOptionsAreMutuallyExclusive() {
    assertRefused(base("startingOffsets", "earliest", "startingTimestamp", "1000"), ZdlErrors.CONFLICTING_OPTIONS,
        "Cannot use startingTimestamp because startingOffsets is already set");
    assertRefused(base("startingOffsetsByTimestamp", "{\"t\":{\"0\":1}}", "startingTimestamp", "1000"),
        ZdlErrors.CONFLICTING_OPTIONS, "startingTimestamp", "startingOffsetsByTimestamp");
  }

  @Test
  void endingOptionsAreForBatchReadsOnly() {
    assertRefused(base("endingOffsets", "latest"), ZdlErrors.INVALID_OPTION, "endingOffsets", "batch");
    assertRefused(base("endingTimestamp", "1000"), ZdlErrors.INVALID_OPTION, "endingTimestamp", "batch");
  }

  @Test
  void batchReadsRefuseStartingAtLatestOrEndingAtEarliest() {
    ZdlException e = assertThrows(ZdlException.class,
        () -> OffsetOptions.parse(reader(base("startingOffsets", "latest"))).startingOffsetsForBatch());
    assertTrue(e.getMessage().contains("startingOffsets"), e.getMessage());
    e = assertThrows(ZdlException.class,
        () -> OffsetOptions.parse(reader(base("startingOffsets", "{\"t\":{\"0\":-1}}"))).startingOffsetsForBatch());
    assertTrue(e.getMessage().contains("-1"), e.getMessage());
    e = assertThrows(ZdlException.class,
        () -> OffsetOptions.parse(reader(base("endingOffsets", "{\"t\":{\"0\":-2}}"))).endingOffsetsForBatch());
    assertTrue(e.getMessage().contains("endingOffsets"), e.getMessage());
  }
}
