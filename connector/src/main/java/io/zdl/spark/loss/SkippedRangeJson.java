package io.zdl.spark.loss;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;
import java.util.TimeZone;
import org.apache.kafka.common.TopicPartition;

/**
 * The JSON shape of a {@link SkippedRange}, shared by the loss ledger and zdl-delta's commit
 * summary. An unknown end is written as {@code "until": null}.
 */
public final class SkippedRangeJson {
  private SkippedRangeJson() {}

  public static void write(SkippedRange r, ObjectNode n) {
    n.put("topic", r.topicPartition().topic());
    n.put("partition", r.topicPartition().partition());
    n.put("from", r.fromOffset());
    if (r.endKnown()) {
      n.put("until", r.untilOffset());
    } else {
      n.putNull("until");
    }
    n.put("records", r.recordCount());
    n.put("cause", r.cause().name());
    n.put("code", r.cause().code());
    n.put("batchId", r.batchId());
    n.put("detectedAt", isoUtc(r.detectedAtMs()));
    n.put("detectedAtMs", r.detectedAtMs());
    n.put("detectedOn", r.detectedOn().name().toLowerCase(Locale.ROOT));
  }

  /** @throws IllegalArgumentException naming the field at fault */
  public static SkippedRange read(JsonNode n) {
    if (!n.path("topic").isTextual() || !n.path("partition").isInt() || !n.path("from").canConvertToLong()) {
      throw new IllegalArgumentException("a skipped range needs topic, partition and from: " + n);
    }
    JsonNode until = n.path("until");
    if (!until.isNull() && !until.canConvertToLong()) {
      throw new IllegalArgumentException("'until' must be an offset or null: " + n);
    }
    LossCause cause;
    try {
      cause = LossCause.valueOf(n.path("cause").asText());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown loss cause '" + n.path("cause").asText() + "': " + n, e);
    }
    SkippedRange.DetectedOn on = "executor".equals(n.path("detectedOn").asText())
        ? SkippedRange.DetectedOn.EXECUTOR : SkippedRange.DetectedOn.DRIVER;
    return new SkippedRange(new TopicPartition(n.path("topic").asText(), n.path("partition").intValue()),
        n.path("from").longValue(), until.isNull() ? SkippedRange.UNKNOWN_END : until.longValue(), cause,
        n.path("batchId").asLong(SkippedRange.NO_BATCH), n.path("detectedAtMs").asLong(0), on);
  }

  private static String isoUtc(long ms) {
    SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT);
    f.setTimeZone(TimeZone.getTimeZone("UTC"));
    return f.format(new Date(ms));
  }
}
