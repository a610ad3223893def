package io.zdl.spark.line;

import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.unsafe.types.VariantVal;

/** An InternalRow base with the members Spark 4 added as abstract (the VARIANT type, which zdl's rows never hold). */
public abstract class LineInternalRow extends InternalRow {
  private static final long serialVersionUID = 1L;

  @Override
  public VariantVal getVariant(int ordinal) {
    throw new UnsupportedOperationException("a Kafka record row has no VARIANT column (ordinal " + ordinal + ")");
  }
}
