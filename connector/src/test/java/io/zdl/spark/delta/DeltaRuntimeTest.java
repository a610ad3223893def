package io.zdl.spark.delta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import java.util.Collections;
import org.junit.jupiter.api.Test;

/**
 * The check of Delta's internal API against the real Delta on the classpath (delta-core 2.4, or
 * delta-spark 3.x under -Pspark-3.5), and against the same classes with some hidden, as on a runtime
 * whose Delta build lacks them.
 */
class DeltaRuntimeTest {
  private static final ClassLoader HERE = DeltaRuntimeTest.class.getClassLoader();

  @Test
  void theOpenSourceDeltaOnTheClasspathOffersEverythingTheSinkCalls() {
    DeltaRuntime r = DeltaRuntime.probe(HERE, "auto");
    assertEquals(Collections.emptyList(), r.missing());
    assertTrue(r.supported());
    assertTrue(r.deltaBuild().matches("delta-(core 2|spark [34])\\..*"), r.deltaBuild());
  }

  @Test
  void theInternalSettingOffLeavesOnlyThePublicPathAndForcingTheInternalOneIsRefusedNamingTheTable() {
    DeltaRuntime r = DeltaRuntime.probe(HERE, "off");
    assertFalse(r.supported());
    r.requirePublicApi("/data/orders"); // the public path stays open
    ZdlException e = r.unsupported("/data/orders");
    assertEquals(ZdlErrors.DELTA_INTERNALS_UNSUPPORTED, e.code());
    assertTrue(e.getMessage().contains("/data/orders") && e.getMessage().contains("Nothing was written")
        && e.getMessage().contains("deltaAccess=internal"), e.getMessage());
  }

  @Test
  void aDeltaBuildWithoutSetTransactionIsRefusedNamingWhatIsMissing() {
    DeltaRuntime r = DeltaRuntime.probe(new HidingLoader("org.apache.spark.sql.delta.actions.SetTransaction"), "auto");
    assertEquals(Collections.singletonList("org.apache.spark.sql.delta.actions.SetTransaction"), r.missing());
    ZdlException e = r.unsupported("t");
    assertEquals(ZdlErrors.DELTA_INTERNALS_UNSUPPORTED, e.code());
    assertTrue(e.getMessage().contains("SetTransaction"), e.getMessage());
  }

  @Test
  void aDeltaBuildWhoseOperationTypeDiffersLacksTheCommitMethod() {
    DeltaRuntime r = DeltaRuntime.probe(new HidingLoader("org.apache.spark.sql.delta.DeltaOperations$"), "auto");
    assertTrue(r.missing().contains("org.apache.spark.sql.delta.DeltaOperations$Operation"), r.missing().toString());
    assertTrue(r.missing().contains("org.apache.spark.sql.delta.DeltaOperations$StreamingUpdate"),
        r.missing().toString());
  }

  @Test
  void aDeltaOfItsOwnPackageKeepsThePublicPathAndIsNotToldToAddDeltaCore() {
    // as on Databricks: DeltaTable is there, org.apache.spark.sql.delta is not
    DeltaRuntime r = DeltaRuntime.probe(new HidingLoader("org.apache.spark.sql.delta."), "auto");
    assertFalse(r.supported());
    assertTrue(r.deltaBuild().contains("without org.apache.spark.sql.delta"), r.deltaBuild());
    r.requirePublicApi("t");
    ZdlException e = r.unsupported("t");
    assertEquals(ZdlErrors.DELTA_INTERNALS_UNSUPPORTED, e.code());
    assertFalse(e.getMessage().contains("Add io.delta"), e.getMessage()); // no advice to add open-source Delta
  }

  @Test
  void noDeltaAtAllIsReportedAsDeltaUnavailable() {
    DeltaRuntime r = DeltaRuntime.probe(new HidingLoader("org.apache.spark.sql.delta.", "io.delta."), "auto");
    assertFalse(r.supported());
    assertEquals(ZdlErrors.DELTA_UNAVAILABLE, r.unsupported("t").code());
    ZdlException e = org.junit.jupiter.api.Assertions.assertThrows(ZdlException.class, () -> r.requirePublicApi("t"));
    assertEquals(ZdlErrors.DELTA_UNAVAILABLE, e.code());
  }

  /** The test's own class loader, less the classes whose names start with a prefix. */
  private static final class HidingLoader extends ClassLoader {
    private final String[] hidden;

    HidingLoader(String... hidden) {
      super(HERE);
      this.hidden = hidden;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      for (String prefix : hidden) {
        if (name.startsWith(prefix)) {
          throw new ClassNotFoundException(name);
        }
      }
      return super.loadClass(name, resolve);
    }
  }
}
