package io.zdl.spark.kafka.config;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DelegationTokenClustersTest {
  private static Map<String, String> cluster(String regex) {
    Map<String, String> conf = new HashMap<>();
    conf.put("spark.kafka.clusters.prod.auth.bootstrap.servers", "kdc-broker:9093");
    if (regex != null) {
      conf.put("spark.kafka.clusters.prod.target.bootstrap.servers.regex", regex);
    }
    return conf;
  }

  @Test
  void aSourceSparkWouldLogInWithATokenIsRefusedWithWhatToSetInstead() {
    ZdlException e = assertThrows(ZdlException.class,
        () -> DelegationTokenClusters.check(cluster(null), "b1:9093,b2:9093", false));
    assertEquals(ZdlErrors.UNSUPPORTED_KAFKA_OPTION, e.code());
    assertTrue(e.getMessage().contains("spark.kafka.clusters.prod.*"), e.getMessage());
    assertTrue(e.getMessage().contains("kafka.sasl.jaas.config"), e.getMessage());
  }

  @Test
  void aSourceOfAnotherClusterOrWithItsOwnJaasConfigIsLeftAlone() {
    assertDoesNotThrow(() -> DelegationTokenClusters.check(cluster("other-.*:9093"), "b1:9093", false));
    assertDoesNotThrow(() -> DelegationTokenClusters.check(cluster(null), "b1:9093", true));
    assertDoesNotThrow(() -> DelegationTokenClusters.check(new HashMap<>(), "b1:9093", false));
  }
}
