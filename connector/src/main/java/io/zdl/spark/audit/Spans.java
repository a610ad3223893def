package io.zdl.spark.audit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** Set arithmetic on offset spans of one partition. Pure. */
final class Spans {
  private Spans() {}

  /** Sorted, non-empty, neither overlapping nor touching. */
  static List<Span> union(Collection<Span> spans) {
    List<Span> sorted = new ArrayList<>();
    for (Span s : spans) {
      if (s.size() > 0) {
        sorted.add(s);
      }
    }
    Collections.sort(sorted);
    List<Span> out = new ArrayList<>();
    Span current = null;
    for (Span s : sorted) {
      if (current != null && s.from() <= current.until()) {
        current = new Span(current.from(), Math.max(current.until(), s.until()));
      } else {
        if (current != null) {
          out.add(current);
        }
        current = s;
      }
    }
    if (current != null) {
      out.add(current);
    }
    return out;
  }

  /** The offsets of {@code within} that no span of {@code covered} holds. */
  static List<Span> holes(Span within, Collection<Span> covered) {
    List<Span> out = new ArrayList<>();
    long at = within.from();
    for (Span c : union(covered)) {
      if (c.until() <= at) {
        continue;
      }
      if (c.from() >= within.until()) {
        break;
      }
      if (c.from() > at) {
        out.add(new Span(at, c.from()));
      }
      at = Math.max(at, c.until());
    }
    if (at < within.until()) {
      out.add(new Span(at, within.until()));
    }
    return out;
  }

  /** The parts of {@code spans} that {@code other} also holds. */
  static List<Span> intersect(Collection<Span> spans, Collection<Span> other) {
    List<Span> a = union(spans);
    List<Span> b = union(other);
    List<Span> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.size() && j < b.size()) {
      long from = Math.max(a.get(i).from(), b.get(j).from());
      long until = Math.min(a.get(i).until(), b.get(j).until());
      if (from < until) {
        out.add(new Span(from, until));
      }
      if (a.get(i).until() < b.get(j).until()) {
        i++;
      } else {
        j++;
      }
    }
    return out;
  }

  /** The parts of {@code spans} that {@code other} does not hold. */
  static List<Span> minus(Collection<Span> spans, Collection<Span> other) {
    List<Span> out = new ArrayList<>();
    List<Span> b = union(other);
    for (Span a : union(spans)) {
      out.addAll(holes(a, b));
    }
    return out;
  }

  /** Offsets held by more than one of {@code spans} (each span on its own holds every offset once). */
  static List<Span> overlaps(Collection<Span> spans) {
    List<Span> sorted = new ArrayList<>();
    for (Span s : spans) {
      if (s.size() > 0) {
        sorted.add(s);
      }
    }
    Collections.sort(sorted);
    List<Span> out = new ArrayList<>();
    long reach = Long.MIN_VALUE;
    for (Span s : sorted) {
      if (s.from() < reach) {
        out.add(new Span(s.from(), Math.min(reach, s.until())));
      }
      reach = Math.max(reach, s.until());
    }
    return union(out);
  }

  static long total(Collection<Span> spans) {
    long n = 0;
    for (Span s : spans) {
      n += s.size();
    }
    return n;
  }
}
