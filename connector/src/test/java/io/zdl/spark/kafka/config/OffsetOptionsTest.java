package io.zdl.spark.kafka.config;

import static io.zdl.spark.kafka.config.SourceOptionMaps.base;
import static io.zdl.spark.kafka.config.SourceOptionMaps.reader;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.offset.OffsetsInitializer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Starting and ending options: one of each triple, values checked, and what each read mode allows. */
class OffsetOptionsTest {

  /** Asserts that a streaming read of the options fails with the code and a message naming every given word. */
  private static ZdlException assertRefused(Map<String, String> options, String code, String... mentions) {
    return SourceOptionMaps.assertRefused(o -> OffsetOptions.parse(reader(o)).startingOffsetsForStream(), options, code, mentions);
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
