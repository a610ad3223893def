package io.zdl.logstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RetryBackoffTest {

  @Test
  void delaysDoubleFromTheBaseUpToTheCapWithinHalfAndFull() {
    RetryBackoff lowest = new RetryBackoff(6, 50, 400, n -> 0);
    RetryBackoff highest = new RetryBackoff(6, 50, 400, n -> n - 1);
    long[] full = {50, 100, 200, 400, 400, 400};
    for (int r = 1; r <= 6; r++) {
      assertEquals(full[r - 1] / 2, lowest.delayMillis(r), "retry " + r);
      assertEquals(full[r - 1], highest.delayMillis(r), "retry " + r);
    }
    assertEquals(1550, lowest.maxTotalMillis());
  }

  @Test
  void retriesAreBounded() {
    RetryBackoff b = new RetryBackoff(2, 10, 10, n -> 0);
    assertTrue(b.allows(1) && b.allows(2));
    assertFalse(b.allows(3));
    assertFalse(b.allows(0));
    assertThrows(IllegalArgumentException.class, () -> b.delayMillis(3));
    assertFalse(new RetryBackoff(0, 10, 10, n -> 0).allows(1));
  }
}
