package io.zdl.spark.delta;

import io.zdl.spark.kafka.offset.KafkaSourceOffset;
import io.zdl.spark.kafka.read.KafkaRecordSchema;
import io.zdl.spark.line.SparkLine;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.Alias;
import org.apache.spark.sql.catalyst.expressions.Attribute;
import org.apache.spark.sql.catalyst.expressions.AttributeReference;
import org.apache.spark.sql.catalyst.expressions.ExprId;
import org.apache.spark.sql.catalyst.expressions.NamedExpression;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.catalyst.plans.logical.SubqueryAlias;
import org.apache.spark.sql.execution.streaming.sources.WriteToMicroBatchDataSourceV1;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.JavaConverters;

/**
 * Whether a batch writes exactly one row per Kafka record, carrying that record's own topic, partition
 * and offset: the zdl-kafka relation under nothing but projections (and aliases). Each written Kafka
 * column is traced down to the relation by expression id, so a column merely named {@code offset}
 * does not count. Anything else (filter, explode, join, aggregation, typed map) may drop or repeat
 * records; the audit then trusts the commit's consumed ranges instead of checking its rows.
 */
final class RecordRowShape {
  /** The columns the audit reads in the table, and the relation's own columns they must come from. */
  private static final List<String> KAFKA_COLUMNS =
      Arrays.asList(KafkaRecordSchema.TOPIC, KafkaRecordSchema.PARTITION, KafkaRecordSchema.OFFSET);

  private static final Logger LOG = LoggerFactory.getLogger(RecordRowShape.class);

  private RecordRowShape() {}

  static boolean oneRowPerRecord(Dataset<Row> batch) {
    try {
      return traced(batch.queryExecution().logical());
    } catch (RuntimeException | LinkageError e) {
      // a plan this runtime builds differently must not fail the write: the audit then trusts the ranges
      LOG.warn("Cannot tell whether this batch writes one row per Kafka record; its commit says it may not: {}",
          e.toString());
      return false;
    }
  }

  private static boolean traced(LogicalPlan logical) {
    LogicalPlan plan = logical;
    if (plan instanceof WriteToMicroBatchDataSourceV1) {
      plan = ((WriteToMicroBatchDataSourceV1) plan).query();
    }
    for (String column : KAFKA_COLUMNS) {
      Attribute written = byName(plan.output(), column);
      if (written == null || !comesFromRelationColumn(plan, written.exprId(), column)) {
        return false;
      }
    }
    return true;
  }

  /** Follows {@code id} down a chain of projections to a zdl-kafka relation's column {@code column}. */
  private static boolean comesFromRelationColumn(LogicalPlan plan, ExprId id, String column) {
    LogicalPlan node = plan;
    ExprId traced = id;
    while (true) {
      if (node instanceof Project) {
        NamedExpression e = byId(JavaConverters.seqAsJavaList(((Project) node).projectList()), traced);
        if (e instanceof Alias && ((Alias) e).child() instanceof AttributeReference) {
          traced = ((AttributeReference) ((Alias) e).child()).exprId();
        } else if (!(e instanceof AttributeReference)) {
          return false; // computed from the column, or not there: not the record's own value
        }
        node = ((Project) node).child();
      } else if (node instanceof SubqueryAlias) {
        node = ((SubqueryAlias) node).child();
      } else if (SparkLine.stream(node) != null) {
        boolean zdl = SparkLine.endOffset(node) instanceof KafkaSourceOffset;
        NamedExpression source = byId(JavaConverters.seqAsJavaList(node.output()), traced);
        return zdl && source != null && source.name().equals(column);
      } else {
        return false;
      }
    }
  }

  private static NamedExpression byId(List<? extends NamedExpression> list, ExprId id) {
    for (NamedExpression e : list) {
      if (e.exprId().equals(id)) {
        return e;
      }
    }
    return null;
  }

  /** The written column the audit will read as {@code name} (Delta column names ignore case). */
  private static Attribute byName(scala.collection.Seq<Attribute> output, String name) {
    for (Attribute a : JavaConverters.seqAsJavaList(output)) {
      if (a.name().equalsIgnoreCase(name)) {
        return a;
      }
    }
    return null;
  }
}
