package io.zdl.spark.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The positions the public path keeps in a commit's userMetadata, beside the commit summary. */
class PublicPositionsTest {
  private static final String SUMMARY = new CommitSummary("s", 4, Collections.emptyList(), Collections.emptyList(),
      Collections.emptyList(), true).toJson();

  @Test
  void positionsAttachedToASummaryReadBackAndLeaveTheSummaryReadable() {
    Map<String, Long> txn = new TreeMap<>();
    txn.put("zdl-delta/s/orders/0", 440L);
    txn.put("zdl-delta/s/orders/topic-id/abc", 1L);
    txn.put("zdl-delta-batch/s/q", 4L);
    String json = new PublicPositions(12, "n-1", txn).attachTo(SUMMARY);

    PublicPositions back = PublicPositions.read(json);
    assertEquals(12, back.seq());
    assertEquals("n-1", back.nonce());
    assertEquals(txn, back.appVersions());
    assertEquals(4, CommitSummary.fromJson(json).batchId(), "summary readers ignore the positions");
  }

  @Test
  void aSummaryWithoutPositionsAndAnotherWritersMetadataHaveNone() {
    assertNull(PublicPositions.read(SUMMARY));
    assertNull(PublicPositions.read("{\"positions\":{\"seq\":1}}"));
    assertNull(PublicPositions.read(null));
  }

  @Test
  void anUnknownFormatOrACorruptEntryIsRefusedNotIgnored() {
    String future = SUMMARY.replace("}", "") + ",\"positions\":{\"format\":2,\"seq\":1,\"txn\":{}}}";
    assertEquals(ZdlErrors.OFFSET_VERSION_UNSUPPORTED,
        assertThrows(ZdlException.class, () -> PublicPositions.read(future)).code());
    String corrupt = SUMMARY.replace("}", "") + ",\"positions\":{\"format\":1,\"seq\":1,\"txn\":{\"a\":\"x\"}}}";
    assertEquals(ZdlErrors.OFFSET_CORRUPT, assertThrows(ZdlException.class, () -> PublicPositions.read(corrupt)).code());
  }

  private static Map<String, String> options(String... kv) {
    Map<String, String> m = new TreeMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }

  @Test
  void theSinkOptionDeltaAccessTakesItsThreeValuesAndRefusesOthers() {
    assertEquals(DeltaAccess.AUTO, DeltaSinkOptions.parse(options("path", "/t")).deltaAccess());
    assertEquals(DeltaAccess.PUBLIC, DeltaSinkOptions.parse(options("path", "/t", "deltaAccess", "Public")).deltaAccess());
    assertEquals(DeltaAccess.INTERNAL, DeltaSinkOptions.parse(options("path", "/t", "deltaAccess", "internal")).deltaAccess());
    assertEquals(Collections.emptyMap(), DeltaSinkOptions.parse(options("path", "/t", "deltaAccess", "auto")).writerOptions(),
        "not passed to Delta's writer");
    ZdlException e = assertThrows(ZdlException.class,
        () -> DeltaSinkOptions.parse(options("path", "/t", "deltaAccess", "tahoe")));
    assertEquals(ZdlErrors.INVALID_OPTION, e.code());
  }
}
