package io.zdl.spark.delta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.plan.OffsetRange;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * The versioned JSON a zdl-delta commit carries in Delta's commit info ({@code userMetadata}): which
 * sink wrote it, for which Spark batch, and the Kafka ranges it added (and gaps it was allowed to
 * leave). Readable with {@code DESCRIBE HISTORY}; the audit reads it back.
 */
public final class CommitSummary {
  public static final int VERSION = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String sinkId;
  private final long batchId;
  private final List<OffsetRange> added;
  private final List<OffsetRange> gaps;

  public CommitSummary(String sinkId, long batchId, List<OffsetRange> added, List<OffsetRange> gaps) {
    this.sinkId = sinkId;
    this.batchId = batchId;
    this.added = added;
    this.gaps = gaps;
  }

  public String sinkId() {
    return sinkId;
  }

  public long batchId() {
    return batchId;
  }

  public List<OffsetRange> added() {
    return added;
  }

  public List<OffsetRange> gaps() {
    return gaps;
  }

  public String toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("version", VERSION);
    root.put("writer", "zdl-delta");
    root.put("sinkId", sinkId);
    root.put("batchId", batchId);
    root.set("added", rangesNode(added));
    root.set("gaps", rangesNode(gaps));
    return root.toString();
  }

  /** Parses a commit's userMetadata; null when it is not a zdl-delta summary. */
  public static CommitSummary fromJson(String json) {
    if (json == null || !json.contains("\"zdl-delta\"")) {
      return null;
    }
    try {
      JsonNode root = MAPPER.readTree(json);
      if (root == null || !"zdl-delta".equals(root.path("writer").asText())) {
        return null;
      }
      int version = root.path("version").asInt(-1);
      if (version != VERSION) {
        throw new ZdlException(ZdlErrors.OFFSET_VERSION_UNSUPPORTED, String.format(
            "Cannot read a zdl-delta commit summary of version %d; this zdl release reads versions [%d]",
            version, VERSION));
      }
      return new CommitSummary(root.path("sinkId").asText(), root.path("batchId").asLong(),
          ranges(root.path("added")), ranges(root.path("gaps")));
    } catch (IOException | RuntimeException e) {
      if (e instanceof ZdlException) {
        throw (ZdlException) e;
      }
      throw new ZdlException(ZdlErrors.OFFSET_CORRUPT, "A zdl-delta commit summary is corrupt: " + e.getMessage(), e);
    }
  }

  private static ArrayNode rangesNode(List<OffsetRange> ranges) {
    ArrayNode array = MAPPER.createArrayNode();
    for (OffsetRange r : ranges) {
      ObjectNode n = array.addObject();
      n.put("topic", r.topicPartition().topic());
      n.put("partition", r.topicPartition().partition());
      n.put("from", r.fromOffset());
      n.put("until", r.untilOffset());
    }
    return array;
  }

  private static List<OffsetRange> ranges(JsonNode array) {
    List<OffsetRange> out = new ArrayList<>();
    for (JsonNode n : array) {
      if (!n.path("partition").isInt() || !n.path("from").canConvertToLong() || !n.path("until").canConvertToLong()) {
        throw new IllegalArgumentException("bad range " + n);
      }
      out.add(new OffsetRange(new TopicPartition(n.path("topic").asText(), n.path("partition").intValue()),
          n.path("from").longValue(), n.path("until").longValue()));
    }
    return out;
  }
}
