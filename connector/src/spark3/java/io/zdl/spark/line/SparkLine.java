package io.zdl.spark.line;

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
import org.apache.spark.sql.execution.datasources.v2.StreamingDataSourceV2Relation;
import org.apache.spark.sql.execution.streaming.StateStoreWriter;
import org.apache.spark.sql.execution.streaming.StreamExecution;
import org.apache.spark.sql.execution.streaming.StreamingQueryWrapper;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.StructType;
import scala.collection.JavaConverters;

/**
 * The Spark 3.4/3.5 (Scala 2.12) side of the line seam: the few Spark and Scala members whose name or
 * signature differs on Spark 4 (its twin is connector/src/spark4/java). Everything else calls Spark
 * directly; see project-docs/architecture.md, "One source tree, two artifacts".
 */
public final class SparkLine {
  /** The erased type of a Scala {@code Seq} parameter in this line's Scala (Scala 2.12). */
  public static final String SCALA_SEQ = "scala.collection.Seq";

  private SparkLine() {}

  /** The source a micro-batch's scan node reads; null when {@code node} is not such a node. */
  public static SparkDataStream stream(LogicalPlan node) {
    return node instanceof StreamingDataSourceV2Relation ? ((StreamingDataSourceV2Relation) node).stream() : null;
  }

  /** The batch's start offset on a scan node; null when there is none or {@code node} is no scan node. */
  public static Offset startOffset(LogicalPlan node) {
    if (!(node instanceof StreamingDataSourceV2Relation)) {
      return null;
    }
    scala.Option<Offset> o = ((StreamingDataSourceV2Relation) node).startOffset();
    return o.isDefined() ? o.get() : null;
  }

  /** The batch's end offset on a scan node; null when there is none or {@code node} is no scan node. */
  public static Offset endOffset(LogicalPlan node) {
    if (!(node instanceof StreamingDataSourceV2Relation)) {
      return null;
    }
    scala.Option<Offset> o = ((StreamingDataSourceV2Relation) node).endOffset();
    return o.isDefined() ? o.get() : null;
  }

  /** Executed rows as a plain (non-streaming) DataFrame, as Spark's foreachBatch does. */
  public static Dataset<Row> dataFrame(SparkSession spark, RDD<InternalRow> rows, StructType schema) {
    return spark.internalCreateDataFrame(rows, schema, false);
  }

  /** A Java map as Scala's immutable map. */
  public static scala.collection.immutable.Map<String, String> scalaMap(Map<String, String> map) {
    return JavaConverters.mapAsScalaMapConverter(map).asScala().toMap(
        scala.Predef$.MODULE$.<scala.Tuple2<String, String>>conforms());
  }

  /** The logical plan of {@code query} when {@code sink} is its sink; null otherwise. */
  public static LogicalPlan planIfSinkOf(StreamingQuery query, Object sink) {
    StreamExecution execution = query instanceof StreamingQueryWrapper
        ? ((StreamingQueryWrapper) query).streamingQuery()
        : query instanceof StreamExecution ? (StreamExecution) query : null;
    return execution != null && execution.sink() == sink ? execution.logicalPlan() : null;
  }

  /** True when {@code node} writes state stores (a stateful operator). */
  public static boolean writesState(SparkPlan node) {
    return node instanceof StateStoreWriter;
  }
}
