package io.zdl.spark.kafka.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.error.ZdlException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/** The options maps and the refusal check the source's option tests share. */
final class SourceOptionMaps {
  private SourceOptionMaps() {}

  /** A minimal valid source's options with the {@code kv} pairs put over them; a null value removes the key. */
  static Map<String, String> base(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("kafka.bootstrap.servers", "127.0.0.1:9092");
    m.put("subscribe", "events");
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i + 1] == null) {
        m.remove(kv[i]);
      } else {
        m.put(kv[i], kv[i + 1]);
      }
    }
    return m;
  }

  static OptionReader reader(Map<String, String> options) {
    return OptionReader.of("zdl-kafka", options);
  }

  /** Asserts that {@code parse} refuses the options with {@code code} and a message naming every one of {@code mentions}. */
  static ZdlException assertRefused(Consumer<Map<String, String>> parse, Map<String, String> options, String code,
      String... mentions) {
    ZdlException e = assertThrows(ZdlException.class, () -> parse.accept(options), options.toString());
    assertEquals(code, e.code(), e.getMessage());
    for (String m : mentions) {
      assertTrue(e.getMessage().contains(m), "'" + m + "' not in: " + e.getMessage());
    }
    return e;
  }
}
