package io.zdl.spark.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditArgsTest {
  private static ZdlException refused(String... args) {
    return assertThrows(ZdlException.class, () -> {
      AuditArgs a = AuditArgs.parse(args);
      AuditOptions.parse(a.table, a.options);
    });
  }

  @Test
  void argumentsBecomeTheOptionsOfTheJavaApi() {
    AuditArgs a = AuditArgs.parse(new String[] {"--table", "/t", "--kafka.bootstrap.servers", "h:1", "--json",
        "--topic", "a, b", "--sinkId", "s1", "--maxListed", "3"});
    assertEquals("/t", a.table);
    assertTrue(a.json);
    AuditOptions o = AuditOptions.parse(a.table, a.options);
    assertEquals(Arrays.asList("a", "b"), o.topics());
    assertEquals("s1", o.sinkId());
    assertEquals(3, o.maxListed());
    assertEquals(AuditOptions.GAP_CHECK_TIMEOUT_MS_DEFAULT, o.gapCheckTimeoutMs());
    assertFalse(AuditArgs.parse(new String[] {"--table", "/t"}).json);
  }

  @Test
  void eachBadArgumentIsNamed() {
    assertTrue(refused("--kafka.bootstrap.servers", "h:1").getMessage().contains("--table"));
    assertTrue(refused("--table", "/t").getMessage().contains("kafka.bootstrap.servers"));
    assertTrue(refused("--table", "/t", "--kafka.bootstrap.servers").getMessage().contains("--kafka.bootstrap.servers"));
    String stray = refused("--table", "/t", "--kafka.sasl.jaas.config", "Login", "required", "password=\"p\";")
        .getMessage();
    assertTrue(stray.contains("--kafka.sasl.jaas.config") && stray.contains("number 5"), stray);
    assertFalse(stray.contains("password"), "a stray argument may be part of a secret: " + stray);
    assertTrue(refused("--table", "/t", "--kafka.bootstrap.servers", "h:1", "--colour", "red").getMessage()
        .contains("colour"));
    assertTrue(refused("--table", "/t", "--kafka.bootstrap.servers", "h:1", "--gapCheckTimeoutMs", "soon")
        .getMessage().contains("gapCheckTimeoutMs"));
    assertTrue(refused("--table", "/t", "--kafka.bootstrap.servers", "h:1", "--kafka.auto.offset.reset", "latest")
        .getMessage().contains("kafka.auto.offset.reset"));
    assertEquals(ZdlErrors.INVALID_OPTION, refused("--table", "/t", "--topic", "a", "--topic", "b").code());
  }

  @Test
  void optionKeysAreCaseInsensitive() {
    Map<String, String> m = new HashMap<>();
    m.put("kafka.bootstrap.servers", "h:1");
    m.put("SINKID", "x");
    assertEquals("x", AuditOptions.parse("/t", m).sinkId());
    assertThrows(ZdlException.class, () -> AuditOptions.parse(" ", Collections.singletonMap("kafka.bootstrap.servers", "h:1")));
  }

  @Test
  void anUnknownOptionIsRefusedNamingTheClosestKnownOne() {
    String typo = refused("--table", "/t", "--kafka.bootstrap.servers", "h:1", "--maxListd", "3").getMessage();
    assertTrue(typo.contains("maxListd") && typo.contains("did you mean maxListed?"), typo);
    assertEquals(ZdlErrors.INVALID_OPTION,
        refused("--table", "/t", "--kafka.bootstrap.servers", "h:1", "--colour", "red").code());
  }
}
