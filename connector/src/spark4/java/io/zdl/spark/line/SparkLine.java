package io.zdl.spark.line;

import java.lang.reflect.Method;
import java.util.Map;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.SparkDataStream;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.datasources.v2.StreamingDataSourceV2ScanRelation;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.StructType;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The Spark 4 (Scala 2.13) side of the line seam; its twin for Spark 3.4/3.5 is connector/src/spark3/java.
 * Spark 4 names a micro-batch's scan node StreamingDataSourceV2ScanRelation (Spark 3's
 * StreamingDataSourceV2Relation no longer carries the stream and offsets), moved internalCreateDataFrame
 * to the classic SparkSession, and Scala 2.13 renamed Predef.conforms. Spark 4.1 moved StreamExecution and
 * StreamingQueryWrapper to execution.streaming.runtime and StateStoreWriter to
 * execution.streaming.operators.stateful: one jar serves 4.0 to 4.2, so those are found by name, in either
 * package (RuntimeCompatibilityIT runs this on each line).
 */
public final class SparkLine {
  /** The erased type of a Scala {@code Seq} parameter in this line's Scala (Scala 2.13, where Seq is the immutable one). */
  public static final String SCALA_SEQ = "scala.collection.immutable.Seq";

  /** StateStoreWriter: Spark 4.0's name, then Spark 4.1's. */
  private static final String[] STATE_STORE_WRITER = {
      "org.apache.spark.sql.execution.streaming.StateStoreWriter",
      "org.apache.spark.sql.execution.streaming.operators.stateful.StateStoreWriter"};

  private SparkLine() {}

  /** The source a micro-batch's scan node reads; null when {@code node} is not such a node. */
  public static SparkDataStream stream(LogicalPlan node) {
    return node instanceof StreamingDataSourceV2ScanRelation ? ((StreamingDataSourceV2ScanRelation) node).stream() : null;
  }

  /** The batch's start offset on a scan node; null when there is none or {@code node} is no scan node. */
  public static Offset startOffset(LogicalPlan node) {
    if (!(node instanceof StreamingDataSourceV2ScanRelation)) {
      return null;
    }
    scala.Option<Offset> o = ((StreamingDataSourceV2ScanRelation) node).startOffset();
    return o.isDefined() ? o.get() : null;
  }

  /** The batch's end offset on a scan node; null when there is none or {@code node} is no scan node. */
  public static Offset endOffset(LogicalPlan node) {
    if (!(node instanceof StreamingDataSourceV2ScanRelation)) {
      return null;
    }
    scala.Option<Offset> o = ((StreamingDataSourceV2ScanRelation) node).endOffset();
    return o.isDefined() ? o.get() : null;
  }

  /** Executed rows as a plain (non-streaming) DataFrame, as Spark's foreachBatch does. */
  public static Dataset<Row> dataFrame(SparkSession spark, RDD<InternalRow> rows, StructType schema) {
    return ((org.apache.spark.sql.classic.SparkSession) spark).internalCreateDataFrame(rows, schema, false);
  }

  /** A Java map as Scala's immutable map. */
  public static scala.collection.immutable.Map<String, String> scalaMap(Map<String, String> map) {
    return scala.collection.immutable.Map$.MODULE$.from(CollectionConverters.asScala(map));
  }

  /**
   * The logical plan of {@code query} when {@code sink} is its sink; null otherwise. By the members'
   * names ({@code streamingQuery}, {@code sink}, {@code logicalPlan}), which are the same on every Spark 4
   * line while their classes' package is not.
   */
  public static LogicalPlan planIfSinkOf(StreamingQuery query, Object sink) {
    try {
      Object execution = query;
      Method unwrap = publicMethod(query.getClass(), "streamingQuery");
      if (unwrap != null) {
        execution = unwrap.invoke(query);
      }
      Method sinkOf = publicMethod(execution.getClass(), "sink");
      Method plan = publicMethod(execution.getClass(), "logicalPlan");
      if (sinkOf == null || plan == null) {
        return null;
      }
      return sinkOf.invoke(execution) == sink ? (LogicalPlan) plan.invoke(execution) : null;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read the streaming query of " + query.getClass().getName(), e);
    }
  }

  /** True when {@code node} writes state stores (a stateful operator). */
  public static boolean writesState(SparkPlan node) {
    return implementsAny(node.getClass(), STATE_STORE_WRITER);
  }

  private static Method publicMethod(Class<?> type, String name) {
    try {
      return type.getMethod(name);
    } catch (NoSuchMethodException e) {
      return null;
    }
  }

  private static boolean implementsAny(Class<?> type, String[] names) {
    for (Class<?> t = type; t != null; t = t.getSuperclass()) {
      for (String n : names) {
        if (t.getName().equals(n)) {
          return true;
        }
      }
      for (Class<?> i : t.getInterfaces()) {
        if (implementsAny(i, names)) {
          return true;
        }
      }
    }
    return false;
  }
}
