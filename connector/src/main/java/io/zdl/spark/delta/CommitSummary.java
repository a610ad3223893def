package io.zdl.spark.delta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.plan.OffsetRange;
import io.zdl.spark.loss.SkippedRange;
import io.zdl.spark.loss.SkippedRangeJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.common.TopicPartition;

/**
 * The versioned JSON a zdl-delta commit carries in Delta's commit info ({@code userMetadata}): which
 * sink wrote it, for which Spark batch, the Kafka ranges it added, gaps it was allowed to leave
 * ({@code allowOffsetGaps}) and ranges the source skipped as lost ({@code failOnDataLoss=false}), so
 * the table itself says what it is missing. Readable with {@code DESCRIBE HISTORY}; the audit reads
 * it back. Version 2 added {@code lost}; version 3 added {@code rows} (whether the commit's rows are
 * exactly one per consumed Kafka record); versions 1 and 2 are still read.
 */
public final class CommitSummary {
  public static final int VERSION = 3;
  private static final int OLDEST_READABLE_VERSION = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final String sinkId;
  private final long batchId;
  private final List<OffsetRange> added;
  private final List<OffsetRange> gaps;
  private final List<SkippedRange> lost;
  private final Rows rows;

  /**
   * How the rows of a commit relate to the Kafka records it consumed ({@code added}): what the audit
   * may check row by row.
   */
  public enum Rows {
    /** One row per record, with the record's own topic, partition and offset: every offset must appear once. */
    ONE_PER_RECORD("onePerRecord"),
    /** The query may drop or repeat records (filter, explode, aggregation...): only the ranges are known. */
    ANY("any"),
    /** Written before summaries said (versions 1 and 2). */
    NOT_RECORDED(null);

    private final String json;

    Rows(String json) {
      this.json = json;
    }

    static Rows fromJson(JsonNode node) {
      if (node.isMissingNode() || node.isNull()) {
        return NOT_RECORDED;
      }
      for (Rows r : values()) {
        if (node.asText().equals(r.json)) {
          return r;
        }
      }
      throw new IllegalArgumentException("unknown rows " + node);
    }
  }

  /** A summary whose rows relation is not recorded, as versions 1 and 2 wrote them. */
  public CommitSummary(String sinkId, long batchId, List<OffsetRange> added, List<OffsetRange> gaps,
      List<SkippedRange> lost) {
    this(sinkId, batchId, added, gaps, lost, Rows.NOT_RECORDED);
  }

  public CommitSummary(String sinkId, long batchId, List<OffsetRange> added, List<OffsetRange> gaps,
      List<SkippedRange> lost, Rows rows) {
    this.sinkId = sinkId;
    this.batchId = batchId;
    this.added = added;
    this.gaps = gaps;
    this.lost = lost;
    this.rows = rows;
  }

  /** {@code oneRowPerRecord} as written by the sink: {@link Rows#ONE_PER_RECORD} or {@link Rows#ANY}. */
  public CommitSummary(String sinkId, long batchId, List<OffsetRange> added, List<OffsetRange> gaps,
      List<SkippedRange> lost, boolean oneRowPerRecord) {
    this(sinkId, batchId, added, gaps, lost, oneRowPerRecord ? Rows.ONE_PER_RECORD : Rows.ANY);
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

  /** Ranges the source skipped in this batch because Kafka no longer had them. */
  public List<SkippedRange> lost() {
    return lost;
  }

  /** Whether every offset of {@link #added()} has exactly one row in the table. */
  public Rows rows() {
    return rows;
  }

  public String toJson() {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("version", VERSION);
    root.put("writer", "zdl-delta");
    root.put("sinkId", sinkId);
    root.put("batchId", batchId);
    root.set("added", rangesNode(added));
    root.set("gaps", rangesNode(gaps));
    ArrayNode lostNode = root.putArray("lost");
    for (SkippedRange r : lost) {
      SkippedRangeJson.write(r, lostNode.addObject());
    }
    if (rows.json != null) {
      root.put("rows", rows.json);
    }
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
      if (version < OLDEST_READABLE_VERSION || version > VERSION) {
        throw new ZdlException(ZdlErrors.OFFSET_VERSION_UNSUPPORTED, String.format(
            "Cannot read a zdl-delta commit summary of version %d; this zdl release reads versions %d to %d",
            version, OLDEST_READABLE_VERSION, VERSION));
      }
      List<SkippedRange> lost = new ArrayList<>();
      for (JsonNode n : root.path("lost")) {
        lost.add(SkippedRangeJson.read(n));
      }
      return new CommitSummary(root.path("sinkId").asText(), root.path("batchId").asLong(),
          ranges(root.path("added")), ranges(root.path("gaps")), Collections.unmodifiableList(lost),
          version < 3 ? Rows.NOT_RECORDED : Rows.fromJson(root.path("rows")));
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
