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
}
