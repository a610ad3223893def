package io.zdl.spark.kafka.config;

import io.zdl.spark.error.ZdlErrors;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations the way Spark's options take them: 500ms, 30s, 15m, 2h, 1d; a bare number is ms. */
final class Durations {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|sec|m|min|h|d)?");

  private Durations() {}

  static long toMillis(String value, String option) {
    Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw ZdlErrors.invalidOption(option, value, "a duration such as 500ms, 30s, 15m, 2h or 1d");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw ZdlErrors.invalidOption(option, value, "a duration such as 500ms, 30s, 15m, 2h or 1d");
    }
    String unit = m.group(2) == null ? "ms" : m.group(2);
    switch (unit) {
      case "ms":
        return n;
      case "s":
      case "sec":
        return n * 1000L;
      case "m":
      case "min":
        return n * 60_000L;
      case "h":
        return n * 3_600_000L;
      default:
        return n * 86_400_000L;
    }
  }
}
