package io.zdl.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time used so far, of this JVM and of another process (the broker). On 2 cores the reads are
 * CPU-bound, so CPU per record tells where a difference in records/s comes from.
 */
final class CpuTime {
  /** Linux's USER_HZ: /proc reports CPU time in ticks of 10 ms. */
  private static final long MILLIS_PER_TICK = 10;

  private CpuTime() {}

  /** This JVM, all threads. */
  static long thisProcessMillis() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime() / 1_000_000L;
  }

  /** User plus system time of {@code pid} from /proc, or -1 where that cannot be read (not Linux, no pid). */
  static long processMillis(long pid) {
    if (pid <= 0) {
      return -1;
    }
    try {
      String stat = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "stat")), StandardCharsets.US_ASCII);
      // the command name (field 2) may hold spaces: count fields from the closing parenthesis
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * MILLIS_PER_TICK; // utime, stime: fields 14 and 15
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
