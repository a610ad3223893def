package io.zdl.spark.kafka.offset;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class PositionEpochsTest {
  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);
  private static final TopicPartition P2 = new TopicPartition("t", 2);

  private static Map<TopicPartition, Long> map(Object... kv) {
    Map<TopicPartition, Long> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((TopicPartition) kv[i], ((Number) kv[i + 1]).longValue());
    }
    return m;
  }

  @Test
  void aPositionThatDidNotMoveKeepsTheEpochOfTheLogItWasSeenIn() {
    KafkaSourceOffset start = new KafkaSourceOffset(map(P0, 100, P1, 50), map(P0, 5));
    // the leader changed (epoch 6) but nothing new arrived on P0: the old epoch stays, so the offset
    // json does not change and a later validation still compares against the log the position came from
    Map<TopicPartition, Long> epochs = PositionEpochs.ofEnd(start, map(P0, 100, P1, 80), map(P0, 100, P1, 90),
        map(P0, 6, P1, 6));
    assertEquals(map(P0, 5, P1, 6), epochs);
  }

  @Test
  void aMovedPositionTakesTheListedEpochOnlyWhenItLiesWithinTheListedLog() {
    KafkaSourceOffset start = new KafkaSourceOffset(map(P0, 100, P1, 50));
    Map<TopicPartition, Long> epochs = PositionEpochs.ofEnd(start, map(P0, 120, P1, 70, P2, 9),
        map(P0, 150, P1, 60), map(P0, 7, P1, 7, P2, 7));
    // P1's end lies past what the listing saw under epoch 7; P2 was not listed: neither gets an epoch
    assertEquals(map(P0, 7), epochs);
  }

  @Test
  void aRangeIsValidatedAgainstItsStartsEpochElseTheEndsEpoch() {
    KafkaSourceOffset start = new KafkaSourceOffset(map(P0, 100, P1, 50), map(P0, 5));
    KafkaSourceOffset end = new KafkaSourceOffset(map(P0, 200, P1, 80), map(P0, 6, P1, 6));
    assertEquals(5, PositionEpochs.ofRangeStart(P0, 100, start, end), "the range begins at the start position");
    assertEquals(6, PositionEpochs.ofRangeStart(P0, 150, start, end), "a piece split from the range");
    assertEquals(6, PositionEpochs.ofRangeStart(P1, 50, start, end), "a start without an epoch");
    assertEquals(-1, PositionEpochs.ofRangeStart(P2, 0, start, new KafkaSourceOffset(map(P2, 9))));
  }
}
