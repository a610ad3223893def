package io.zdl.spark.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zdl.spark.error.ZdlErrors;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** project-docs/error-codes.md explains exactly the error codes the code has. */
class ErrorCodesReferenceTest {
  /** The first cell of a table row: | `ZDL_...` | ... */
  private static final Pattern CODE_ROW = Pattern.compile("(?m)^\\| `(ZDL_[A-Z0-9_.]+)` \\|");
  /** Defined in ZdlErrors but raised nowhere; document it on the day something raises it. */
  private static final Set<String> NEVER_RAISED = new TreeSet<>(Arrays.asList(ZdlErrors.PARTITIONS_NOT_FOUND));

  @Test
  void theErrorCodesPageListsExactlyTheCodesZdlRaises() throws IOException, IllegalAccessException {
    Set<String> codes = new TreeSet<>();
    for (Field f : ZdlErrors.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        String value = (String) f.get(null);
        if (value.startsWith("ZDL_")) {
          codes.add(value);
        }
      }
    }
    codes.removeAll(NEVER_RAISED);

    String page = new String(Files.readAllBytes(Paths.get("..", "project-docs", "error-codes.md")),
        StandardCharsets.UTF_8);
    Set<String> documented = new TreeSet<>();
    Matcher m = CODE_ROW.matcher(page);
    while (m.find()) {
      documented.add(m.group(1));
    }
    assertEquals(codes, documented);
  }
}
