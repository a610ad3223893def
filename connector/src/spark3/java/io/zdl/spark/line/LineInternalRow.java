package io.zdl.spark.line;

import org.apache.spark.sql.catalyst.InternalRow;

/** An InternalRow base with the members this line's Spark declares abstract beyond the common ones (none on Spark 3). */
public abstract class LineInternalRow extends InternalRow {
  private static final long serialVersionUID = 1L;
}
