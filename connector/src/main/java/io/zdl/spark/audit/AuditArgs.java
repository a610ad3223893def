package io.zdl.spark.audit;

import io.zdl.spark.error.ZdlErrors;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The command line, turned into the table, the options map {@link ZdlAudit#run} takes, and the
 * output format. Checks only the shape ({@code --name value}); {@link AuditOptions} checks the values.
 */
final class AuditArgs {
  static final String TABLE = "--table";
  static final String JSON = "--json";

  final String table;
  final Map<String, String> options;
  final boolean json;

  private AuditArgs(String table, Map<String, String> options, boolean json) {
    this.table = table;
    this.options = Collections.unmodifiableMap(options);
    this.json = json;
  }

  /** @throws io.zdl.spark.error.ZdlException {@code ZDL_INVALID_OPTION} naming the argument at fault */
  static AuditArgs parse(String[] args) {
    String table = null;
    boolean json = false;
    Map<String, String> options = new LinkedHashMap<>();
    String lastName = "(first argument)";
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (JSON.equals(arg)) {
        json = true;
        lastName = arg;
        continue;
      }
      if (!arg.startsWith("--") || arg.length() == 2) {
        // not echoed: it may be part of a secret that lost its quotes
        throw ZdlErrors.invalidOption(lastName, String.format(
            "it is followed by an unexpected argument (number %d); arguments are --name value pairs and --json, "
                + "and values with spaces must be quoted", i + 1));
      }
      if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
        throw ZdlErrors.invalidOption(arg, "it needs a value");
      }
      lastName = arg;
      String value = args[++i];
      if (TABLE.equals(arg)) {
        table = value;
      } else if (options.put(arg.substring(2), value) != null) {
        throw ZdlErrors.invalidOption(arg, "given more than once");
      }
    }
    if (table == null) {
      throw ZdlErrors.invalidOption(TABLE, "it is required: the path or catalog name of the zdl-delta table");
    }
    return new AuditArgs(table, options, json);
  }
}
