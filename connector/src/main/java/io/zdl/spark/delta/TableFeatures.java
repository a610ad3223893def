package io.zdl.spark.delta;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.SparkThrowable;

/**
 * The Delta table features the sink refuses before it writes. Deletion vectors and row tracking need
 * nothing from the sink: an append adds files without deletion vectors, and Delta's own commit assigns
 * row ids on both paths. A catalog-managed table ({@code catalogManaged}; {@code catalogOwned-preview}
 * in Delta 4.0 previews) takes its commits through its catalog (Unity Catalog), but the sink writes by
 * storage path, where a commit would bypass the catalog that ratifies the table's versions.
 */
final class TableFeatures {
  static final List<String> REFUSED = Arrays.asList("catalogManaged", "catalogOwned-preview");
  /** Delta's errors for a table this runtime's Delta cannot read or write, or not by path. */
  private static final List<String> DELTA_REFUSALS = Arrays.asList("DELTA_UNSUPPORTED_FEATURES_FOR_READ",
      "DELTA_UNSUPPORTED_FEATURES_FOR_WRITE", "DELTA_PATH_BASED_ACCESS_TO_CATALOG_MANAGED_TABLE_BLOCKED",
      "DELTA_UNSUPPORTED_CATALOG_MANAGED_TABLE_OPERATION");
  /** Delta 4.0's refusal of path access to such a table: an IllegalStateException with no error class. */
  private static final String DELTA40_CATALOG_OWNED_PATH_ACCESS =
      "Path based access is not supported for Catalog-Owned";

  private TableFeatures() {}

  /** Refuses a table with a feature in {@link #REFUSED}; {@code features}: the table's reader and writer features. */
  static void refuseUnsupported(Collection<String> features, String table) {
    Set<String> refused = new TreeSet<>();
    for (String f : features) {
      for (String r : REFUSED) {
        if (r.equalsIgnoreCase(f)) {
          refused.add(f);
        }
      }
    }
    if (!refused.isEmpty()) {
      throw new ZdlException(ZdlErrors.SINK_TABLE_FEATURE_UNSUPPORTED, String.format(
          "Table %s has the Delta table feature %s: its commits go through the catalog that manages it (such as "
              + "Unity Catalog), and zdl-delta commits to the table's storage location, which would bypass that "
              + "catalog. Nothing was written. Write the stream to a table without %s (an external table, or a "
              + "path), and see project-docs/compatibility.md.", table, refused, refused));
    }
  }

  /**
   * Delta's own refusal of the table (features this runtime's Delta does not know, or path access to a
   * catalog-managed table) as a coded error, or null when {@code e} is another error.
   */
  static ZdlException fromDeltaRefusal(RuntimeException e, String table) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String errorClass = deltaRefusal(t);
      if (errorClass != null) {
        String feature = errorClass.contains("CATALOG_MANAGED")
            ? " (table feature catalogManaged: its commits go through its catalog, and zdl-delta writes by path)" : "";
        return new ZdlException(ZdlErrors.SINK_TABLE_FEATURE_UNSUPPORTED, String.format(
            "This runtime's Delta (%s) refuses to write table %s%s: %s Nothing was written. Write the stream to a "
                + "table without that feature, or run the query on a runtime whose Delta supports it (see "
                + "project-docs/compatibility.md).", DeltaRuntime.current().deltaBuild(), table, feature,
            t.getMessage()), e);
      }
    }
    return null;
  }

  /** Delta's error class, as the exception declares it or as the message names it in brackets. */
  private static String deltaRefusal(Throwable t) {
    String message = t.getMessage() == null ? "" : t.getMessage();
    String declared = null;
    if (t instanceof SparkThrowable) {
      try {
        declared = ((SparkThrowable) t).getErrorClass();
      } catch (LinkageError e) {
        // a Spark line without getErrorClass: the message still carries the class
      }
    }
    for (String errorClass : DELTA_REFUSALS) {
      if (errorClass.equals(declared) || message.contains("[" + errorClass + "]")) {
        return errorClass;
      }
    }
    if (t instanceof IllegalStateException && message.startsWith(DELTA40_CATALOG_OWNED_PATH_ACCESS)) {
      return "DELTA_PATH_BASED_ACCESS_TO_CATALOG_MANAGED_TABLE_BLOCKED"; // what Delta 4.4 calls the same refusal
    }
    return null;
  }
}
