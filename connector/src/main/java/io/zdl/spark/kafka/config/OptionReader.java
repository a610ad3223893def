package io.zdl.spark.kafka.config;

import io.zdl.spark.error.ZdlErrors;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one option parser of the source, the sink and the audit: names are case-insensitive, every getter is
 * typed, and every refusal is a {@code ZDL_INVALID_OPTION} naming the option, the value and what is expected.
 * Values out of range are refused, never clamped. {@link #checkNames} applies the one rule for option names
 * zdl does not know (project-docs/source-options.md, "Unknown options").
 */
public final class OptionReader {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|sec|m|min|h|d)?");
  private static final String DURATION_EXPECTED = "a duration such as 500ms, 30s, 15m, 2h or 1d";

  private final String owner;
  private final TreeMap<String, String> options = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

  private OptionReader(String owner, Map<String, String> options) {
    this.owner = owner;
    this.options.putAll(options);
  }

  /** @param owner who takes the options, for messages: zdl-kafka, zdl-delta, the audit */
  public static OptionReader of(String owner, Map<String, String> options) {
    return new OptionReader(owner, options);
  }

  // ---- names ----

  /**
   * The one rule for names: a name that is not one of {@code own}, not a {@code kafka.*} setting and not one of
   * {@code accepted} (the engine's own options) is refused, naming the closest known option. Where names are
   * handed on to another component that has its own open set of options ({@code handsOnOthers}: the sink hands
   * them to Delta's writer), only a name one typo away from one of {@code own} is refused, as it would otherwise
   * leave that option at its default without a word.
   */
  public void checkNames(Collection<String> own, Collection<String> accepted, boolean handsOnOthers) {
    TreeSet<String> known = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    known.addAll(own);
    known.addAll(accepted);
    for (String key : options.keySet()) {
      if (known.contains(key) || key.toLowerCase(Locale.ROOT).startsWith(KafkaSourceOptions.KAFKA_PREFIX)) {
        continue;
      }
      String closest = OptionNames.closest(key, known);
      boolean typo = closest != null && OptionNames.isTypoOf(key, closest);
      if (handsOnOthers && !typo) {
        continue;
      }
      if (typo) {
        throw ZdlErrors.invalidOption(key, String.format("%s has no such option; did you mean %s?%s", owner, closest,
            handsOnOthers ? " (a name that is not one of " + owner + "'s goes to the writer unread)" : ""));
      }
      throw ZdlErrors.invalidOption(key, String.format(
          "%s knows no such option (the closest is %s); it takes %s and kafka.* settings", owner, closest, own));
    }
  }

  // ---- raw ----

  public boolean has(String key) {
    return options.containsKey(key);
  }

  /** The value as given, or null. */
  public String get(String key) {
    return options.get(key);
  }

  public String get(String key, String dflt) {
    String v = options.get(key);
    return v == null ? dflt : v;
  }

  // ---- typed ----

  /** The trimmed value, or null when unset; a blank value is refused. */
  public String nonEmpty(String key, String expected) {
    String v = options.get(key);
    if (v == null) {
      return null;
    }
    if (v.trim().isEmpty()) {
      throw ZdlErrors.invalidOption(key, v.trim(), expected);
    }
    return v.trim();
  }

  public boolean bool(String key, boolean dflt) {
    String v = options.get(key);
    if (v == null) {
      return dflt;
    }
    String t = v.trim().toLowerCase(Locale.ROOT);
    if (t.equals("true")) {
      return true;
    }
    if (t.equals("false")) {
      return false;
    }
    throw ZdlErrors.invalidOption(key, v, "true or false");
  }

  /** One of {@code allowed} (lower case), matched case-insensitively. */
  public String choice(String key, String dflt, String... allowed) {
    String v = options.get(key);
    if (v == null) {
      return dflt;
    }
    String t = v.trim().toLowerCase(Locale.ROOT);
    for (String a : allowed) {
      if (a.equals(t)) {
        return a;
      }
    }
    throw ZdlErrors.invalidOption(key, v, "one of " + String.join(", ", allowed));
  }

  /** Null when unset. */
  public Long positiveLong(String key) {
    return longInRange(key, 1, Long.MAX_VALUE, "a positive whole number");
  }

  /** Null when unset. */
  public Long nonNegativeLong(String key) {
    return longInRange(key, 0, Long.MAX_VALUE, "a whole number >= 0");
  }

  /** Null when unset; {@code expected} says the range in words, e.g. "a whole number from 0 to 1000". */
  public Long longInRange(String key, long min, long max, String expected) {
    String v = options.get(key);
    if (v == null) {
      return null;
    }
    long n;
    try {
      n = Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw ZdlErrors.invalidOption(key, v, expected);
    }
    if (n < min || n > max) {
      throw ZdlErrors.invalidOption(key, v, expected);
    }
    return n;
  }

  /** Null when unset. */
  public Integer intInRange(String key, int min, int max, String expected) {
    Long n = longInRange(key, min, max, expected);
    return n == null ? null : n.intValue();
  }

  /** Milliseconds of a duration as Spark's options take them: 500ms, 30s, 15m, 2h, 1d; a bare number is ms. */
  public long durationMillis(String key, String dflt) {
    String value = get(key, dflt);
    Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw ZdlErrors.invalidOption(key, value, DURATION_EXPECTED);
    }
    try {
      long n = Long.parseLong(m.group(1));
      return Math.multiplyExact(n, unitMillis(m.group(2) == null ? "ms" : m.group(2)));
    } catch (NumberFormatException | ArithmeticException e) {
      // too large for a long of milliseconds: refused rather than wrapped to a negative delay
      throw ZdlErrors.invalidOption(key, value, DURATION_EXPECTED + ", below 2^63 ms");
    }
  }

  private static long unitMillis(String unit) {
    switch (unit) {
      case "ms":
        return 1L;
      case "s":
      case "sec":
        return 1000L;
      case "m":
      case "min":
        return 60_000L;
      case "h":
        return 3_600_000L;
      default:
        return 86_400_000L;
    }
  }
}
