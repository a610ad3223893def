package io.zdl.logstore;

import java.util.function.LongUnaryOperator;

/**
 * Bounded exponential backoff with jitter: retry {@code n} (1-based) waits a random time in
 * [d/2, d] where d = min(cap, base * 2^(n-1)); at most {@code maxRetries} retries. Pure, so the
 * bounds are unit-tested; the random source is injected.
 */
final class RetryBackoff {
  private final int maxRetries;
  private final long baseMillis;
  private final long capMillis;
  private final LongUnaryOperator randomBelow; // n -> a value in [0, n)

  RetryBackoff(int maxRetries, long baseMillis, long capMillis, LongUnaryOperator randomBelow) {
    if (maxRetries < 0 || baseMillis < 1 || capMillis < baseMillis) {
      throw new IllegalArgumentException("maxRetries >= 0 and 1 <= base <= cap required");
    }
    this.maxRetries = maxRetries;
    this.baseMillis = baseMillis;
    this.capMillis = capMillis;
    this.randomBelow = randomBelow;
  }

  int maxRetries() {
    return maxRetries;
  }

  /** Whether retry number {@code retry} (1-based) is still allowed. */
  boolean allows(int retry) {
    return retry >= 1 && retry <= maxRetries;
  }

  /** Milliseconds to wait before retry number {@code retry} (1-based). */
  long delayMillis(int retry) {
    if (!allows(retry)) {
      throw new IllegalArgumentException("retry " + retry + " is outside 1.." + maxRetries);
    }
    int shift = Math.min(retry - 1, 30);
    long d = Math.min(capMillis, baseMillis << shift);
    long half = d / 2;
    return half + randomBelow.applyAsLong(d - half + 1);
  }

  /** The longest total wait over all retries, for messages. */
  long maxTotalMillis() {
    long total = 0;
    for (int r = 1; r <= maxRetries; r++) {
      total += Math.min(capMillis, baseMillis << Math.min(r - 1, 30));
    }
    return total;
  }
}
