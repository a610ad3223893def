package io.zdl.test.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The child mains' one argument parser: values may hold '=', prefixes select, malformed arguments are named. */
class KeyValueArgsTest {
  @Test
  void splitsAtTheFirstEqualsSignAndSelectsByPrefix() {
    KeyValueArgs a = KeyValueArgs.parse(new String[] {"table=s3a://b/t", "conf.spark.hadoop.fs.s3a.endpoint=http://x=1",
        "spark.master=spark://127.0.0.1:7077", "", "empty=", "table=later"});
    assertEquals("later", a.get("table"), "a later key wins");
    assertEquals("", a.get("empty"));
    assertNull(a.get("absent"));
    assertEquals("40", a.getOrDefault("absent", "40"));
    assertEquals(Map.of("spark.hadoop.fs.s3a.endpoint", "http://x=1"), a.stripped("conf."));
    assertEquals(Map.of("spark.master", "spark://127.0.0.1:7077"), a.prefixed("spark."));
    assertEquals(4, a.asMap().size(), "the blank argument is skipped");
  }

  @Test
  void anArgumentWithoutAKeyIsRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KeyValueArgs.parse(new String[] {"table=t", "checkpoint"}));
    assertTrue(e.getMessage().contains("'checkpoint'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> KeyValueArgs.parse(new String[] {"=value"}));
  }
}
