package io.zdl.test.process;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code key=value} arguments the harness passes to a child JVM's main (and the benchmark's), parsed
 * one way for all: a blank argument is skipped, one without {@code =} or with an empty key is refused
 * naming it, a later key wins, and {@code key=} gives an empty value.
 */
public final class KeyValueArgs {
  private final Map<String, String> values;

  private KeyValueArgs(Map<String, String> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  public static KeyValueArgs parse(String[] args) {
    Map<String, String> values = new TreeMap<>();
    for (String arg : args) {
      if (arg.trim().isEmpty()) {
        continue;
      }
      int eq = arg.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("argument '" + arg + "': expected key=value");
      }
      values.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    return new KeyValueArgs(values);
  }

  /** The value of {@code key}, or null when it was not given. */
  public String get(String key) {
    return values.get(key);
  }

  public String getOrDefault(String key, String fallback) {
    return values.getOrDefault(key, fallback);
  }

  public boolean containsKey(String key) {
    return values.containsKey(key);
  }

  /** The arguments whose key starts with {@code prefix}, keys kept whole. */
  public Map<String, String> prefixed(String prefix) {
    Map<String, String> out = new TreeMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** The arguments whose key starts with {@code prefix}, without the prefix. */
  public Map<String, String> stripped(String prefix) {
    Map<String, String> out = new TreeMap<>();
    values.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        out.put(k.substring(prefix.length()), v);
      }
    });
    return out;
  }

  /** Every argument, sorted by key. */
  public Map<String, String> asMap() {
    return values;
  }
}
