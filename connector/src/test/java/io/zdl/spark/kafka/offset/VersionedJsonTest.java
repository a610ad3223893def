package io.zdl.spark.kafka.offset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class VersionedJsonTest {
  @Test
  void aDocumentIsReadBackWithItsFields() {
    ObjectNode doc = VersionedJson.document(3);
    doc.put("topic", "orders");
    assertEquals("orders", VersionedJson.parse(VersionedJson.bytes(doc), "Test file", "f.json", 3)
        .path("topic").asText());
  }

  @Test
  void anotherVersionIsRefusedNamingTheFileAndBothVersions() {
    ZdlException e = assertThrows(ZdlException.class,
        () -> VersionedJson.parse(VersionedJson.bytes(VersionedJson.document(2)), "Test file", "f.json", 1));
    assertEquals(ZdlErrors.OFFSET_VERSION_UNSUPPORTED, e.code());
    assertTrue(e.getMessage().contains("Test file f.json has version 2; this zdl release reads version 1"),
        e.getMessage());
  }

  @Test
  void textThatIsNoJsonObjectIsCorrupt() {
    for (String text : new String[] {"{\"version\":1,", "", "[1]", "7"}) {
      ZdlException e = assertThrows(ZdlException.class,
          () -> VersionedJson.parse(text.getBytes(StandardCharsets.UTF_8), "Test file", "f.json", 1), text);
      assertEquals(ZdlErrors.OFFSET_CORRUPT, e.code(), text);
      assertTrue(e.getMessage().contains("Test file f.json is corrupt"), e.getMessage());
    }
  }
}
