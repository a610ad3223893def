package io.zdl.spark.kafka.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The envelope of zdl's checkpoint files: one JSON object whose {@code "version"} says how to read
 * the rest. A file of another version is refused by name rather than half understood, as an older
 * release must do with a newer release's files.
 */
public final class VersionedJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private VersionedJson() {}

  /** A new document of {@code version}, to fill in. */
  public static ObjectNode document(int version) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("version", version);
    return root;
  }

  public static byte[] bytes(ObjectNode document) {
    return document.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The document in {@code bytes}, checked to be of {@code version}.
   *
   * @param what names the kind of file in errors, e.g. "Topic ids file"
   * @throws ZdlException {@code ZDL_OFFSET_CORRUPT} when it is not a JSON object,
   *     {@code ZDL_OFFSET_VERSION_UNSUPPORTED} when its version is another
   */
  public static JsonNode parse(byte[] bytes, String what, Object file, int version) {
    JsonNode root;
    try {
      root = MAPPER.readTree(new String(bytes, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new ZdlException(ZdlErrors.OFFSET_CORRUPT, what + " " + file + " is corrupt: " + e.getMessage(), e);
    }
    if (root == null || !root.isObject()) {
      throw new ZdlException(ZdlErrors.OFFSET_CORRUPT, what + " " + file + " is corrupt: not a JSON object");
    }
    int found = root.path("version").asInt(-1);
    if (found != version) {
      throw new ZdlException(ZdlErrors.OFFSET_VERSION_UNSUPPORTED, String.format(
          "%s %s has version %d; this zdl release reads version %d", what, file, found, version));
    }
    return root;
  }
}
