package io.zdl.spark.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossLedgerTest {
  private static final TopicPartition P0 = new TopicPartition("orders.eu", 0);

  @TempDir
  Path dir;

  private LossLedger ledger() {
    return new LossLedger(dir.toString(), new Configuration());
  }

  private static SkippedRange range(long batch, long from, long until, LossCause cause) {
    return new SkippedRange(P0, from, until, cause, batch, 1_000L * batch, SkippedRange.DetectedOn.EXECUTOR);
  }

  @Test
  void entriesAreReadBackPerBatchAndAll() {
    LossLedger ledger = ledger();
    ledger.record(range(3, 10, 20, LossCause.OFFSETS_OUT_OF_RANGE));
    ledger.record(range(4, 0, SkippedRange.UNKNOWN_END, LossCause.PARTITION_GONE));
    ledger.record(range(31, 5, 6, LossCause.LOG_TRUNCATED)); // batch 31 must not show up under batch 3
    assertEquals(Collections.singletonList(range(3, 10, 20, LossCause.OFFSETS_OUT_OF_RANGE)), ledger.forBatch(3));
    assertEquals(Collections.singletonList(range(4, 0, SkippedRange.UNKNOWN_END, LossCause.PARTITION_GONE)), ledger.forBatch(4));
    assertEquals(3, ledger.all().size());
    assertTrue(ledger.forBatch(5).isEmpty());
  }

  @Test
  void theSameLossFoundAgainReplacesItsEntry() {
    LossLedger ledger = ledger();
    ledger.record(range(3, 10, 20, LossCause.OFFSETS_OUT_OF_RANGE));
    ledger.record(new SkippedRange(P0, 10, 20, LossCause.OFFSETS_OUT_OF_RANGE, 3, 99_000L,
        SkippedRange.DetectedOn.EXECUTOR)); // a retried task
    List<SkippedRange> all = ledger.all();
    assertEquals(1, all.size());
    assertEquals(99_000L, all.get(0).detectedAtMs());
    File[] files = dir.resolve(LossLedger.DIR_NAME).toFile().listFiles();
    for (File f : files) {
      assertFalse(f.getName().endsWith(".tmp"), f.getName());
    }
  }

  @Test
  void anEmptyOrMissingLedgerHasNoEntries() {
    assertTrue(ledger().all().isEmpty());
  }

  @Test
  void anUnknownVersionOrACorruptEntryIsACodedError() throws IOException {
    Path d = Files.createDirectories(dir.resolve(LossLedger.DIR_NAME));
    Files.write(d.resolve("batch-1.t.0.0.OFFSETS_OUT_OF_RANGE.json"),
        "{\"version\":9,\"topic\":\"t\"}".getBytes(StandardCharsets.UTF_8));
    ZdlException e = assertThrows(ZdlException.class, () -> ledger().all());
    assertEquals(ZdlErrors.OFFSET_VERSION_UNSUPPORTED, e.code());
    Files.write(d.resolve("batch-1.t.0.0.OFFSETS_OUT_OF_RANGE.json"), "{\"version\":1,".getBytes(StandardCharsets.UTF_8));
    e = assertThrows(ZdlException.class, () -> ledger().all());
    assertEquals(ZdlErrors.OFFSET_CORRUPT, e.code());
    assertTrue(e.getMessage().contains("batch-1.t.0.0"), e.getMessage());
  }

  @Test
  void travelsToExecutorsWithItsHadoopSettings() throws Exception {
    Configuration conf = new Configuration(false);
    conf.set("fs.file.impl.disable.cache", "true");
    LossLedger ledger = new LossLedger(dir.toString(), conf);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(ledger);
    }
    LossLedger copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (LossLedger) in.readObject();
    }
    copy.record(range(7, 1, 2, LossCause.OFFSETS_OUT_OF_RANGE));
    assertEquals(1, ledger.forBatch(7).size(), "the copy wrote where the original reads");
  }
}
