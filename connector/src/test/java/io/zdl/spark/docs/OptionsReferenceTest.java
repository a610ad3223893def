package io.zdl.spark.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.audit.AuditOptions;
import io.zdl.spark.delta.DeltaSinkOptions;
import io.zdl.spark.kafka.config.KafkaSourceOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The options pages in project-docs/ list exactly the options the code has. */
class OptionsReferenceTest {
  /** The first cell of a table row: | `name` | ... */
  private static final Pattern OPTION_ROW = Pattern.compile("(?m)^\\| `([^`]+)` \\|");
  /** Pass-through Kafka settings the source page names as examples, not zdl options. */
  private static final Set<String> KAFKA_PASS_THROUGH = new TreeSet<>(Arrays.asList("kafka.*", "kafka.group.id"));

  private static Set<String> documented(String page) throws IOException {
    Path file = Paths.get("..", "project-docs", page);
    String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    Set<String> names = new TreeSet<>();
    Matcher m = OPTION_ROW.matcher(text);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  @Test
  void theSourceOptionsPageListsExactlyTheSourceOptions() throws IOException {
    Set<String> documented = documented("source-options.md");
    documented.removeAll(KAFKA_PASS_THROUGH);
    assertEquals(new TreeSet<>(KafkaSourceOptions.ALL), documented);
  }

  @Test
  void theSinkOptionsPageListsEverySinkOptionAndNothingUnknown() throws IOException {
    Set<String> documented = documented("sink-options.md");
    assertTrue(documented.containsAll(DeltaSinkOptions.ALL), "missing from sink-options.md: " + DeltaSinkOptions.ALL);
    Set<String> known = new TreeSet<>(DeltaSinkOptions.ALL);
    known.addAll(KafkaSourceOptions.ALL); // the page also shows the source's resume-from-table options
    documented.removeAll(known);
    assertEquals(new TreeSet<String>(), documented, "documented but not in the code");
  }

  @Test
  void theAuditPageListsExactlyTheAuditOptions() throws IOException {
    Set<String> documented = documented("audit.md");
    documented.removeAll(Arrays.asList("kafka.*", "kafka.bootstrap.servers"));
    assertEquals(new TreeSet<>(AuditOptions.ALL), documented);
  }
}
