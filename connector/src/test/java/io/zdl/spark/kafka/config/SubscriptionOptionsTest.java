package io.zdl.spark.kafka.config;

import static io.zdl.spark.kafka.config.SourceOptionMaps.base;
import static io.zdl.spark.kafka.config.SourceOptionMaps.reader;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.metadata.TopicSubscription;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** subscribe, subscribePattern, assign: exactly one, each value checked. */
class SubscriptionOptionsTest {

  /** Asserts the options fail with the code and a message that names every given word. */
  private static ZdlException assertRefused(Map<String, String> options, String code, String... mentions) {
    return SourceOptionMaps.assertRefused(o -> SubscriptionOptions.parse(reader(o)), options, code, mentions);
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
