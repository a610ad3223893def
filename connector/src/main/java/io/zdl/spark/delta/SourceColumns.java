package io.zdl.spark.delta;

import io.zdl.spark.kafka.ZdlKafkaSourceStream;
import io.zdl.spark.kafka.read.KafkaRecordSchema;
import io.zdl.spark.line.SparkLine;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.plans.logical.LocalRelation;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.Union;
import scala.collection.JavaConverters;

/**
 * Where a batch's output holds the zdl-kafka source's own {@code topic}, {@code partition} and
 * {@code offset}: traced through the plan by expression id, from the source relation up through
 * plain renames ({@code Alias} of the attribute), never by column name, so a payload field that only
 * shares a name (from_json of a mirrored record, a CDC envelope) never counts.
 */
final class SourceColumns {
  enum Kind { TOPIC, PARTITION, OFFSET }

  private static final Map<String, Kind> SOURCE_NAMES = new HashMap<>();

  static {
    SOURCE_NAMES.put(KafkaRecordSchema.TOPIC, Kind.TOPIC);
    SOURCE_NAMES.put(KafkaRecordSchema.PARTITION, Kind.PARTITION);
    SOURCE_NAMES.put(KafkaRecordSchema.OFFSET, Kind.OFFSET);
  }

  private SourceColumns() {}

  /**
   * Per kind, the ordinal of the first output column of {@code plan} that is the source's column, or
   * -1 when no output column is (indexed by {@link Kind#ordinal()}).
   */
  static int[] ordinals(LogicalPlan plan) {
    Map<ExprId, Kind> traced = traced(plan);
    int[] result = {-1, -1, -1};
    List<Attribute> output = JavaConverters.seqAsJavaList(plan.output());
    for (int i = 0; i < output.size(); i++) {
      Kind k = traced.get(output.get(i).exprId());
      if (k != null && result[k.ordinal()] < 0) {
        result[k.ordinal()] = i;
      }
    }
    return result;
  }

  /** The attributes of {@code node}'s output that carry a source column, by expression id. */
  private static Map<ExprId, Kind> traced(LogicalPlan node) {
    Map<ExprId, Kind> result = new HashMap<>();
    if (SparkLine.stream(node) != null) {
      if (SparkLine.stream(node) instanceof ZdlKafkaSourceStream) {
        byName(node, result);
      }
      return result;
    }
    if (node instanceof LocalRelation) {
      // a source without new data in this batch is an empty LocalRelation: its columns hold no row at all
      if (((LocalRelation) node).data().isEmpty() && node.isStreaming()) {
        byName(node, result);
      }
      return result;
    }
    if (node instanceof Union) {
      return tracedUnion((Union) node);
    }
    Map<ExprId, Kind> below = new HashMap<>();
    for (LogicalPlan child : JavaConverters.seqAsJavaList(node.children())) {
      below.putAll(traced(child));
    }
    if (node instanceof Project) {
      for (NamedExpression e : JavaConverters.seqAsJavaList(((Project) node).projectList())) {
        Kind k = passedThrough(e, below);
        if (k != null) {
          result.put(e.exprId(), k);
        }
      }
      return result;
    }
    // any other node: an output attribute with a child's expression id is that child's value
    for (Attribute a : JavaConverters.seqAsJavaList(node.output())) {
      Kind k = below.get(a.exprId());
      if (k != null) {
        result.put(a.exprId(), k);
      }
    }
    return result;
  }

  private static Kind passedThrough(NamedExpression e, Map<ExprId, Kind> below) {
    if (e instanceof AttributeReference) {
      return below.get(e.exprId());
    }
    if (e instanceof Alias) {
      Expression child = ((Alias) e).child();
      if (child instanceof AttributeReference) {
        return below.get(((AttributeReference) child).exprId());
      }
    }
    return null;
  }

  /** A union's output column counts when it is the same source column in every child. */
  private static Map<ExprId, Kind> tracedUnion(Union union) {
    List<LogicalPlan> children = JavaConverters.seqAsJavaList(union.children());
    List<Map<ExprId, Kind>> perChild = new ArrayList<>();
    for (LogicalPlan child : children) {
      perChild.add(traced(child));
    }
    Map<ExprId, Kind> result = new HashMap<>();
    List<Attribute> output = JavaConverters.seqAsJavaList(union.output());
    for (int i = 0; i < output.size(); i++) {
      Kind common = null;
      boolean same = true;
      for (int c = 0; c < children.size() && same; c++) {
        Kind k = perChild.get(c).get(JavaConverters.seqAsJavaList(children.get(c).output()).get(i).exprId());
        same = k != null && (common == null || common == k);
        common = k;
      }
      if (same && common != null) {
        result.put(output.get(i).exprId(), common);
      }
    }
    return result;
  }

  private static void byName(LogicalPlan relation, Map<ExprId, Kind> result) {
    for (Attribute a : JavaConverters.seqAsJavaList(relation.output())) {
      Kind k = SOURCE_NAMES.get(a.name());
      if (k != null) {
        result.put(a.exprId(), k);
      }
    }
  }
}
