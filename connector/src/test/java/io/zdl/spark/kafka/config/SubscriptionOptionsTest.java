package io.zdl.spark.kafka.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.metadata.TopicSubscription;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** subscribe, subscribePattern, assign: exactly one, each value checked. */
class SubscriptionOptionsTest {

  private static Map<String, String> base(String... kv) {
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

  private static OptionReader reader(Map<String, String> options) {
    return OptionReader.of("zdl-kafka", options);
  }

  /** Asserts the options fail with the code and a message that names every given word. */
  private static ZdlException assertRefused(Map<String, String> options, String code, String... mentions) {
    ZdlException e = assertThrows(ZdlException.class, () -> SubscriptionOptions.parse(reader(options)),
        options.toString());
    assertEquals(code, e.code(), e.getMessage());
    for (String m : mentions) {
      assertTrue(e.getMessage().contains(m), "'" + m + "' not in: " + e.getMessage());
    }
    return e;
  }

  @Test
  void eachKindIsRead() {
    TopicSubscription topics = SubscriptionOptions.parse(reader(base("subscribe", " a, b ,")));
    TopicSubscription assigned = SubscriptionOptions.parse(reader(base("subscribe", null, "ASSIGN", "{\"t\":[1,0]}")));
    TopicSubscription pattern = SubscriptionOptions.parse(reader(base("subscribe", null, "subscribePattern", "e.*")));
    assertTrue(topics.toString().contains("a") && topics.toString().contains("b"), topics.toString());
    assertTrue(assigned.toString().contains("t"), assigned.toString());
    assertTrue(pattern.toString().contains("e.*"), pattern.toString());
  }

  @Test
  void exactlyOneSubscriptionKind() {
    assertRefused(base("subscribe", null), ZdlErrors.INVALID_OPTION, "subscribe", "subscribePattern", "assign", "none");
    assertRefused(base("subscribePattern", "e.*"), ZdlErrors.INVALID_OPTION, "subscribe, subscribePattern");
    assertRefused(base("subscribe", " , "), ZdlErrors.INVALID_OPTION, "subscribe");
    assertRefused(base("subscribe", null, "subscribePattern", "(unclosed"), ZdlErrors.INVALID_OPTION, "subscribePattern");
    assertRefused(base("subscribe", null, "assign", "t:0"), ZdlErrors.INVALID_OPTION, "assign");
    assertRefused(base("subscribe", null, "assign", "{\"t\":[0,\"x\"]}"), ZdlErrors.INVALID_OPTION, "assign");
    assertRefused(base("subscribe", null, "assign", "{\"t\":[]}"), ZdlErrors.INVALID_OPTION, "assign");
  }
}
