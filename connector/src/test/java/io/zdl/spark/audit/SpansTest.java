package io.zdl.spark.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpansTest {
  private static Span s(long from, long until) {
    return new Span(from, until);
  }

  @Test
  void unionMergesOverlappingAndTouchingSpansAndDropsEmptyOnes() {
    assertEquals(Arrays.asList(s(0, 7), s(9, 10)), Spans.union(Arrays.asList(s(5, 7), s(0, 3), s(3, 5), s(9, 10), s(8, 8))));
  }

  @Test
  void holesAreTheOffsetsNoSpanCovers() {
    assertEquals(Arrays.asList(s(0, 2), s(5, 6), s(9, 10)),
        Spans.holes(s(0, 10), Arrays.asList(s(2, 5), s(6, 9), s(12, 20))));
    assertEquals(Collections.singletonList(s(3, 8)), Spans.holes(s(3, 8), Collections.<Span>emptyList()));
    assertEquals(Collections.emptyList(), Spans.holes(s(3, 8), Collections.singletonList(s(0, 100))));
  }

  @Test
  void intersectAndMinusSplitSpansAtTheOtherSetsEdges() {
    List<Span> a = Arrays.asList(s(0, 10), s(20, 30));
    List<Span> b = Arrays.asList(s(5, 25), s(28, 40));
    assertEquals(Arrays.asList(s(5, 10), s(20, 25), s(28, 30)), Spans.intersect(a, b));
    assertEquals(Arrays.asList(s(0, 5), s(25, 28)), Spans.minus(a, b));
  }

  @Test
  void overlapsAreOffsetsInMoreThanOneSpan() {
    assertEquals(Arrays.asList(s(5, 10), s(30, 31)),
        Spans.overlaps(Arrays.asList(s(0, 10), s(5, 20), s(20, 31), s(30, 40))));
    assertEquals(Collections.emptyList(), Spans.overlaps(Arrays.asList(s(0, 10), s(10, 20))));
  }
}
