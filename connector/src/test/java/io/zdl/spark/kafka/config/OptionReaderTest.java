package io.zdl.spark.kafka.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class OptionReaderTest {
  private static final List<String> OWN = Arrays.asList("maxListed", "sinkId", "startingOffsets");

  private static OptionReader reader(String... kv) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return OptionReader.of("the owner", m);
  }

  private static String refused(Executable parse, String... mentions) {
    ZdlException e = assertThrows(ZdlException.class, parse);
    assertEquals(ZdlErrors.INVALID_OPTION, e.code(), e.getMessage());
    for (String m : mentions) {
      assertTrue(e.getMessage().contains(m), "'" + m + "' not in: " + e.getMessage());
    }
    return e.getMessage();
  }

  @Test
  void namesAreCaseInsensitiveAndUnsetOptionsGiveTheDefault() {
    OptionReader r = reader("MaxListed", "7", "FLAG", "True");
    assertTrue(r.has("maxlisted"));
    assertEquals(7, r.intInRange("maxListed", 1, 10, "1 to 10"));
    assertTrue(r.bool("flag", false));
    assertFalse(r.bool("other", false));
    assertNull(r.positiveLong("other"));
    assertNull(r.nonEmpty("other", "x"));
    assertEquals("error", r.choice("other", "error", "error", "latest"));
    assertEquals(900_000L, r.durationMillis("other", "15m"));
  }

  @Test
  void eachTypedGetterRefusesNamingOptionValueAndExpectation() {
    refused(() -> reader("b", "yes").bool("b", false), "b", "'yes'", "true or false");
    refused(() -> reader("c", "first").choice("c", "error", "error", "latest"), "c", "'first'", "one of error, latest");
    refused(() -> reader("n", "0").positiveLong("n"), "n", "'0'", "a positive whole number");
    refused(() -> reader("n", "-1").nonNegativeLong("n"), "n", "'-1'", "a whole number >= 0");
    refused(() -> reader("n", "ten").nonNegativeLong("n"), "n", "'ten'");
    refused(() -> reader("s", "  ").nonEmpty("s", "a name"), "s", "a name");
    refused(() -> reader("d", "5 parsecs").durationMillis("d", "1s"), "d", "'5 parsecs'", "a duration");
  }

  @Test
  void valuesOutOfRangeAreRefusedNotClamped() {
    assertEquals(1000, reader("n", "1000").intInRange("n", 0, 1000, "0 to 1000"));
    refused(() -> reader("n", "1001").intInRange("n", 0, 1000, "0 to 1000"), "n", "'1001'", "0 to 1000");
    refused(() -> reader("n", "2147483648").intInRange("n", 1, Integer.MAX_VALUE, "below 2^31"), "n", "below 2^31");
    assertEquals(106751991167L * 86_400_000L, reader("d", "106751991167d").durationMillis("d", "1s"));
    refused(() -> reader("d", "106751991168d").durationMillis("d", "1s"), "d", "'106751991168d'", "below 2^63 ms");
    refused(() -> reader("d", "99999999999999999999").durationMillis("d", "1s"), "d", "below 2^63 ms");
  }

  @Test
  void anUnknownNameIsRefusedNamingTheClosestKnownOption() {
    refused(() -> reader("startingOffset", "earliest").checkNames(OWN, Collections.<String>emptyList(), false),
        "startingOffset", "the owner has no such option; did you mean startingOffsets?");
    refused(() -> reader("colour", "red").checkNames(OWN, Collections.<String>emptyList(), false),
        "colour", "the owner knows no such option", "kafka.*", "maxListed");
  }

  @Test
  void ownAcceptedAndKafkaNamesPass() {
    reader("SINKID", "a", "path", "/x", "kafka.client.id", "c").checkNames(OWN, Collections.singletonList("path"),
        false);
  }

  @Test
  void whereOtherNamesAreHandedOnOnlyATypoOfAnOwnOptionIsRefused() {
    reader("userMetadata", "m", "colour", "red").checkNames(OWN, Collections.<String>emptyList(), true);
    refused(() -> reader("sinkid2", "a").checkNames(OWN, Collections.<String>emptyList(), true), "sinkid2",
        "did you mean sinkId?");
  }

  @Test
  void aTypoIsOneEditForShortNamesAndTwoForLongOnes() {
    assertTrue(OptionNames.isTypoOf("sinkI", "sinkId"));
    assertFalse(OptionNames.isTypoOf("sink", "sinkId"));
    assertTrue(OptionNames.isTypoOf("startingOfsets2", "startingOffsets"));
    assertFalse(OptionNames.isTypoOf("startingOffsets", "STARTINGOFFSETS"));
    assertEquals("maxListed", OptionNames.closest("maxlistd", OWN));
  }
}
