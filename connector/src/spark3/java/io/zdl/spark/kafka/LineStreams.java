package io.zdl.spark.kafka;

import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;

/**
 * The Spark 3.4/3.5 side of the stream seam (its Spark 4 twin is in connector/src/spark4/java): these lines
 * have no real-time mode, so the stream is the plain micro-batch stream.
 */
final class LineStreams {
  private LineStreams() {}

  static MicroBatchStream microBatchStream(StreamCollaborators parts) {
    return new KafkaMicroBatchStream(parts);
  }
}
