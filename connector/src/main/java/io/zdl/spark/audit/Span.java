package io.zdl.spark.audit;

import io.zdl.spark.api.PublicApi;
import java.io.Serializable;

/** Kafka offsets {@code [from, until)} of one partition, in an audit report. Plain types only. */
@PublicApi
public final class Span implements Serializable, Comparable<Span> {
  private final long from;
  private final long until;

  public Span(long from, long until) {
    if (until < from) {
      throw new IllegalArgumentException("Not an offset span: [" + from + ", " + until + ")");
    }
    this.from = from;
    this.until = until;
  }

  public long from() {
    return from;
  }

  /** Exclusive. */
  public long until() {
    return until;
  }

  public long size() {
    return until - from;
  }

  @Override
  public int compareTo(Span o) {
    int c = Long.compare(from, o.from);
    return c != 0 ? c : Long.compare(until, o.until);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Span && ((Span) o).from == from && ((Span) o).until == until;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(from) * 31 + Long.hashCode(until);
  }

  @Override
  public String toString() {
    return "[" + from + ", " + until + ")";
  }
}
