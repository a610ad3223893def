package io.zdl.spark.kafka;

import java.lang.reflect.InvocationTargetException;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;

/**
 * The Spark 4 side of the stream seam (its Spark 3 twin is in connector/src/spark3/java). Spark 4.1 added
 * real-time mode and refuses it only for streams that do not implement {@code SupportsRealTimeMode}, with its
 * own uncoded error. On a Spark that has the interface the stream is a {@link RealTimeRefusingStream}, which
 * refuses with zdl's code and names the trigger to use; on Spark 4.0 that class cannot load (its interface is
 * missing), so it is only ever named here, by reflection.
 */
final class LineStreams {
  private static final String REAL_TIME_MODE = "org.apache.spark.sql.connector.read.streaming.SupportsRealTimeMode";
  private static final String REFUSING_STREAM = "io.zdl.spark.kafka.RealTimeRefusingStream";

  private LineStreams() {}

  static MicroBatchStream microBatchStream(StreamCollaborators parts) {
    if (!sparkHasRealTimeMode()) {
      return new KafkaMicroBatchStream(parts);
    }
    try {
      return (MicroBatchStream) Class.forName(REFUSING_STREAM)
          .getDeclaredConstructor(StreamCollaborators.class).newInstance(parts);
    } catch (InvocationTargetException e) {
      // the stream's own failure (a coded error, say) reaches the user as it is
      if (e.getCause() instanceof RuntimeException) {
        throw (RuntimeException) e.getCause();
      }
      throw new IllegalStateException("cannot create " + REFUSING_STREAM + " on this Spark", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create " + REFUSING_STREAM + " on this Spark", e);
    }
  }

  private static boolean sparkHasRealTimeMode() {
    try {
      Class.forName(REAL_TIME_MODE, false, MicroBatchStream.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
