package io.zdl.spark.kafka.config;

import java.util.Collection;
import java.util.Locale;

/** Which known option an unknown name most likely meant: edit distance, ignoring case. */
final class OptionNames {
  private OptionNames() {}

  /** The name in {@code known} nearest to {@code name}, or null when {@code known} is empty. */
  static String closest(String name, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(name, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best;
  }

  /** One slip of the keyboard: at most one edit for short names (under 8 characters), two for longer ones. */
  static boolean isTypoOf(String name, String known) {
    int d = distance(name, known);
    return d > 0 && d <= (known.length() < 8 ? 1 : 2);
  }

  /** Levenshtein distance, ignoring case. */
  static int distance(String a, String b) {
    String s = a.toLowerCase(Locale.ROOT);
    String t = b.toLowerCase(Locale.ROOT);
    int[] prev = new int[t.length() + 1];
    int[] cur = new int[t.length() + 1];
    for (int j = 0; j <= t.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= s.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= t.length(); j++) {
        int cost = s.charAt(i - 1) == t.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] swap = prev;
      prev = cur;
      cur = swap;
    }
    return prev[t.length()];
  }
}
