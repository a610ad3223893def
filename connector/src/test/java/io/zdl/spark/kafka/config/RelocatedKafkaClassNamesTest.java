package io.zdl.spark.kafka.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RelocatedKafkaClassNamesTest {
  private static final String SHADED = "io.zdl.shaded.org.apache.kafka.";
  private static final String JAAS =
      "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";";

  @Test
  void originalKafkaClassNamesAreMappedToTheRelocatedPackage() {
    assertEquals("io.zdl.shaded.org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";",
        RelocatedKafkaClassNames.relocate(JAAS, SHADED));
    assertEquals("io.zdl.shaded.org.apache.kafka.clients.consumer.RangeAssignor,io.zdl.shaded.org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
        RelocatedKafkaClassNames.relocate(
            "org.apache.kafka.clients.consumer.RangeAssignor,org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
            SHADED));
  }

  @Test
  void alreadyRelocatedNamesAndOtherValuesAreLeftAlone() {
    String relocated = RelocatedKafkaClassNames.relocate(JAAS, SHADED);
    assertEquals(relocated, RelocatedKafkaClassNames.relocate(relocated, SHADED));
    assertEquals("SASL_SSL", RelocatedKafkaClassNames.relocate("SASL_SSL", SHADED));
    assertEquals("com.example.MyLoginModule required;",
        RelocatedKafkaClassNames.relocate("com.example.MyLoginModule required;", SHADED));
  }

  @Test
  void namesWrittenForDatabricksKafkashadedAreMappedToTheRelocatedPackage() {
    assertEquals(RelocatedKafkaClassNames.relocate(JAAS, SHADED),
        RelocatedKafkaClassNames.relocate("kafkashaded." + JAAS, SHADED));
    assertEquals("io.zdl.shaded.org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;",
        RelocatedKafkaClassNames.relocate(
            "kafkashaded.org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;", SHADED));
    assertEquals(JAAS, RelocatedKafkaClassNames.relocate("kafkashaded." + JAAS, RelocatedKafkaClassNames.ORIGINAL_PACKAGE));
  }

  @Test
  void unshadedRuntimeChangesNothing() {
    assertEquals(JAAS, RelocatedKafkaClassNames.relocate(JAAS, RelocatedKafkaClassNames.ORIGINAL_PACKAGE));
    // these unit tests run against the unshaded classes folder
    assertEquals(JAAS, RelocatedKafkaClassNames.relocate(JAAS));
  }

  /** Runs on both lines: kafka-clients 3.9 still has the secured handlers, 4.x only the ones above them. */
  @Test
  void oauthBearerHandlersNamedInTheirOldSecuredPackageLoadOnEitherClient() throws Exception {
    String pkg = RelocatedKafkaClassNames.ORIGINAL_PACKAGE;
    for (String handler : new String[] {"OAuthBearerLoginCallbackHandler", "OAuthBearerValidatorCallbackHandler"}) {
      String secured = pkg + "common.security.oauthbearer.secured." + handler;
      String renamed = RelocatedKafkaClassNames.movedClassesRenamed(secured, pkg);
      Class.forName(renamed, false, getClass().getClassLoader()); // throws if this client has no such class
      boolean hasSecured = true;
      try {
        Class.forName(secured, false, getClass().getClassLoader());
      } catch (ClassNotFoundException e) {
        hasSecured = false;
      }
      assertEquals(hasSecured ? secured : pkg + "common.security.oauthbearer." + handler, renamed);
    }
    assertEquals("SASL_SSL", RelocatedKafkaClassNames.movedClassesRenamed("SASL_SSL", pkg));
  }
}
