package io.zdl.spark.kafka.offset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TopicIdStoreTest {
  @TempDir
  Path dir;

  private TopicIdStore store() {
    return new TopicIdStore(dir.toString(), new Configuration());
  }

  @Test
  void idsSurviveARestartAndTheNewestFileWins() throws IOException {
    TopicIdStore store = store();
    assertEquals(Collections.emptyMap(), store.known());
    store.remember(Collections.singletonMap("orders", "id-1"));
    Map<String, String> more = new HashMap<>();
    more.put("orders", "id-2");
    more.put("payments", "id-3");
    store.remember(more);
    assertEquals(more, store().known());
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.filter(f -> f.getFileName().toString().startsWith("zdl-topic-ids.")).count(),
          "older files are removed");
    }
  }

  @Test
  void aFileLeftHalfWrittenUnderATemporaryNameIsIgnored() throws IOException {
    TopicIdStore store = store();
    store.remember(Collections.singletonMap("orders", "id-1"));
    // what a crash while writing the next file leaves: a torn temporary file, never the next name
    Files.write(dir.resolve(".zdl-topic-ids.2.json.0c9e.tmp"), "{\"version\":1,\"top".getBytes(StandardCharsets.UTF_8));
    assertEquals(Collections.singletonMap("orders", "id-1"), store().known());
    store().remember(Collections.singletonMap("payments", "id-2"));
    assertEquals(2, store().known().size());
  }

  @Test
  void anUnknownVersionIsACodedError() throws IOException {
    Files.write(dir.resolve("zdl-topic-ids.4.json"), "{\"version\":2,\"topics\":{}}".getBytes(StandardCharsets.UTF_8));
    ZdlException e = assertThrows(ZdlException.class, () -> store().known());
    assertEquals(ZdlErrors.OFFSET_VERSION_UNSUPPORTED, e.code());
  }

  @Test
  void versionOneFixtureIsReadBackForeverAndStillWrittenSo() throws IOException {
    String fixture = fixture("/fixtures/zdl-topic-ids-v1.json");
    Map<String, String> ids = new HashMap<>();
    ids.put("orders.eu", "q2-Vc0bKR4u8T3nJ1p9wQA");
    ids.put("payments", "Zt6mL0aHSuKf2xB7cYdE4g");
    Files.write(dir.resolve("zdl-topic-ids.1.json"), fixture.getBytes(StandardCharsets.UTF_8));
    assertEquals(ids, store().known());

    Path other = Files.createDirectories(dir.resolve("written"));
    new TopicIdStore(other.toString(), new Configuration()).remember(ids);
    assertEquals(fixture.trim(),
        new String(Files.readAllBytes(other.resolve("zdl-topic-ids.1.json")), StandardCharsets.UTF_8));
  }

  private static String fixture(String name) throws IOException {
    try (java.io.InputStream in = TopicIdStoreTest.class.getResourceAsStream(name)) {
      return new String(org.apache.hadoop.io.IOUtils.readFullyToByteArray(new java.io.DataInputStream(in)),
          StandardCharsets.UTF_8);
    }
  }
}
