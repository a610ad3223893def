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
    assertEquals(java.util.Collections.singletonList(range(3, 10, 20, LossCause.OFFSETS_OUT_OF_RANGE)), ledger.forBatch(3));
    assertEquals(java.util.Collections.singletonList(range(4, 0, SkippedRange.UNKNOWN_END, LossCause.PARTITION_GONE)), ledger.forBatch(4));
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

  @Test
  void aFileWhereTheLedgerDirectoryShouldBeStopsTheRecordWithACodedErrorNamingItAndTheFix() throws IOException {
    Path where = Files.write(dir.resolve(LossLedger.DIR_NAME), new byte[] {1}); // a full or broken disk looks alike
    ZdlException e = assertThrows(ZdlException.class, () -> ledger().record(range(3, 10, 20, LossCause.LOG_TRUNCATED)));
    assertEquals(ZdlErrors.LOSS_LEDGER_UNAVAILABLE, e.code());
    assertTrue(e.getMessage().contains(where.getFileName().toString()) && e.getMessage().contains("[10, 20)")
        && e.getMessage().contains("writable directory") && e.getMessage().contains("failOnDataLoss"),
        e.getMessage());
  }

  @Test
  void aFileWhereTheSourceCheckpointDirectoryShouldBeStopsTheRecordWithACodedError() throws IOException {
    Path source = Files.write(dir.resolve("source-0"), new byte[] {1});
    LossLedger ledger = new LossLedger(source.toString(), new Configuration());
    ZdlException e = assertThrows(ZdlException.class, () -> ledger.record(range(3, 10, 20, LossCause.LOG_TRUNCATED)));
    assertEquals(ZdlErrors.LOSS_LEDGER_UNAVAILABLE, e.code());
  }

  @Test
  void aLedgerThatIsAFileIsNotReadAsEmpty() throws IOException {
    Files.write(dir.resolve(LossLedger.DIR_NAME), new byte[] {1});
    ZdlException e = assertThrows(ZdlException.class, () -> ledger().forBatch(3));
    assertEquals(ZdlErrors.LOSS_LEDGER_UNAVAILABLE, e.code());
    assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
  }

  @Test
  void aLedgerDirectoryRemovedMeanwhileIsMadeAgainAndHoldsTheEntry() throws IOException {
    LossLedger ledger = ledger();
    ledger.record(range(3, 10, 20, LossCause.LOG_TRUNCATED));
    deleteTree(dir.resolve(LossLedger.DIR_NAME));
    ledger.record(range(4, 20, 30, LossCause.LOG_TRUNCATED));
    assertEquals(java.util.Collections.singletonList(range(4, 20, 30, LossCause.LOG_TRUNCATED)), ledger.all());
  }

  private static void deleteTree(Path root) throws IOException {
    try (java.util.stream.Stream<Path> paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Test
  void versionOneFixtureIsReadBackForeverAndStillWrittenSo() throws IOException {
    String fixture = fixture("/fixtures/zdl-loss-ledger-entry-v1.json");
    SkippedRange expected = new SkippedRange(new TopicPartition("orders.eu", 3), 1200, 1450,
        LossCause.OFFSETS_OUT_OF_RANGE, 17, 1763630102345L, SkippedRange.DetectedOn.EXECUTOR);
    Path d = Files.createDirectories(dir.resolve(LossLedger.DIR_NAME));
    Files.write(d.resolve(LossLedger.fileName(expected)), fixture.getBytes(StandardCharsets.UTF_8));
    assertEquals(java.util.Collections.singletonList(expected), ledger().forBatch(17));

    Path other = dir.resolve("written");
    new LossLedger(other.toString(), new Configuration()).record(expected);
    byte[] written = Files.readAllBytes(other.resolve(LossLedger.DIR_NAME).resolve(LossLedger.fileName(expected)));
    assertEquals(fixture.trim(), new String(written, StandardCharsets.UTF_8));
  }

  private static String fixture(String name) throws IOException {
    try (java.io.InputStream in = LossLedgerTest.class.getResourceAsStream(name)) {
      return new String(org.apache.hadoop.io.IOUtils.readFullyToByteArray(new java.io.DataInputStream(in)),
          StandardCharsets.UTF_8);
    }
  }
}
