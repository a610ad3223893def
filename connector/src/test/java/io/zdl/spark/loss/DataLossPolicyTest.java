package io.zdl.spark.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The executors' policy travels with every task: what it carries, and that it still decides the same. */
class DataLossPolicyTest {
  private static final TopicPartition P0 = new TopicPartition("orders", 0);

  @TempDir
  Path dir;

  @Test
  void aFailingPolicyTravelsWithoutTheLedgersHadoopConfiguration() throws Exception {
    LossLedger ledger = new LossLedger(dir.toString(), new Configuration()); // Hadoop's defaults: hundreds of entries
    int ledgerBytes = serialized(ledger).length;
    DataLossPolicy failing = new DataLossPolicy(true, SkippedRange.DetectedOn.EXECUTOR, new ExecutorLossRecorder(ledger, null));

    byte[] bytes = serialized(failing);

    assertTrue(ledgerBytes > 10_000, "the ledger alone is large: " + ledgerBytes + " bytes");
    assertTrue(bytes.length < 1_000, "a failing policy is " + bytes.length + " bytes");
    ZdlException e = assertThrows(ZdlException.class,
        () -> deserialized(bytes).onLoss(P0, 10, 20, LossCause.OFFSETS_OUT_OF_RANGE));
    assertEquals(ZdlErrors.DATA_LOSS_OUT_OF_RANGE, e.code());
    assertTrue(ledger.all().isEmpty());
  }

  @Test
  void aSkippingPolicyKeepsItsListenerThroughSerialization() throws Exception {
    LossLedger ledger = new LossLedger(dir.toString(), new Configuration(false));
    DataLossPolicy skipping = new DataLossPolicy(false, SkippedRange.DetectedOn.DRIVER, ledger::record);

    deserialized(serialized(skipping)).onLoss(P0, 10, 20, LossCause.OFFSETS_OUT_OF_RANGE);

    assertEquals(1, ledger.all().size(), "the copy wrote where the original reads");
    assertEquals(10, ledger.all().get(0).fromOffset());
  }

  private static byte[] serialized(Object o) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  private static DataLossPolicy deserialized(byte[] bytes) throws IOException, ClassNotFoundException {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return (DataLossPolicy) in.readObject();
    }
  }
}
