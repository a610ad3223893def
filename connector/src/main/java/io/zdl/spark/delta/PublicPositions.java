package io.zdl.spark.delta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The positions a commit of the public path carries in its {@code userMetadata}, beside the
 * {@link CommitSummary} fields: a table-wide sequence number (also the commit's Delta {@code txnVersion}),
 * a nonce naming the writer's attempt, and every zdl position of the table after the commit (all sink
 * ids: app id to version, as {@link SinkOffsetKeys} names them). The newest such commit is the table's
 * positions. Readers that know only the summary ignore the field. Pure.
 *
 * <pre>{"version":3,"writer":"zdl-delta",...,"positions":{"format":1,"seq":7,"nonce":"...","txn":{...}}}</pre>
 */
final class PublicPositions {
  static final String FIELD = "positions";
  static final int FORMAT = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final long seq;
  private final String nonce;
  private final Map<String, Long> appVersions;

  PublicPositions(long seq, String nonce, Map<String, Long> appVersions) {
    this.seq = seq;
    this.nonce = nonce;
    this.appVersions = Collections.unmodifiableMap(new TreeMap<>(appVersions));
  }

  long seq() {
    return seq;
  }

  String nonce() {
    return nonce;
  }

  Map<String, Long> appVersions() {
    return appVersions;
  }

  /** {@code summaryJson} with these positions added. */
  String attachTo(String summaryJson) {
    try {
      ObjectNode root = (ObjectNode) MAPPER.readTree(summaryJson);
      ObjectNode p = root.putObject(FIELD);
      p.put("format", FORMAT);
      p.put("seq", seq);
      p.put("nonce", nonce);
      ObjectNode txn = p.putObject("txn");
      for (Map.Entry<String, Long> e : appVersions.entrySet()) {
        txn.put(e.getKey(), e.getValue());
      }
      return root.toString();
    } catch (IOException | ClassCastException e) {
      throw new IllegalStateException("cannot extend the commit summary " + summaryJson, e);
    }
  }

  /** The positions in a commit's userMetadata; null when it carries none (another writer, or the internal path). */
  static PublicPositions read(String userMetadata) {
    if (userMetadata == null || !userMetadata.contains("\"" + FIELD + "\"") || !userMetadata.contains("\"zdl-delta\"")) {
      return null;
    }
    try {
      JsonNode root = MAPPER.readTree(userMetadata);
      JsonNode p = root == null ? null : root.path(FIELD);
      if (p == null || !p.isObject() || !"zdl-delta".equals(root.path("writer").asText())) {
        return null;
      }
      int format = p.path("format").asInt(-1);
      if (format != FORMAT) {
        throw new ZdlException(ZdlErrors.OFFSET_VERSION_UNSUPPORTED, String.format(
            "Cannot read zdl-delta positions of format %d in a commit's userMetadata; this zdl release reads format %d",
            format, FORMAT));
      }
      if (!p.path("seq").canConvertToLong() || !p.path("txn").isObject()) {
        throw new IllegalArgumentException("no seq or txn");
      }
      Map<String, Long> txn = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = p.path("txn").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().canConvertToLong()) {
          throw new IllegalArgumentException("bad version of " + e.getKey());
        }
        txn.put(e.getKey(), e.getValue().longValue());
      }
      return new PublicPositions(p.path("seq").longValue(), p.path("nonce").asText(), txn);
    } catch (IOException | RuntimeException e) {
      if (e instanceof ZdlException) {
        throw (ZdlException) e;
      }
      throw new ZdlException(ZdlErrors.OFFSET_CORRUPT,
          "The zdl-delta positions in a commit's userMetadata are corrupt: " + e.getMessage(), e);
    }
  }
}
