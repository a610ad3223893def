package io.zdl.spark.kafka.consumer;

import io.zdl.spark.kafka.security.AuthenticationFailures;
import io.zdl.spark.kafka.security.SaslClientRouter;
import org.apache.kafka.common.errors.AuthenticationException;
import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.loss.DataLossPolicy;
import io.zdl.spark.loss.LossCause;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.LogTruncationException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * A Kafka consumer assigned to one topic-partition, reading ranges of it in order. Records fetched
 * past the end of one range stay buffered, so when the pool hands this consumer the next batch's
 * range of the same partition, reading continues without a seek or a new fetch.
 */
public final class PartitionConsumer implements AutoCloseable {
  private static final long MAX_POLL_WAIT_MS = 1000;

  private final ConsumerPool.Key key;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicPartition tp;
  /** The last poll's records of {@code tp}, as the consumer returned them (no copy), read from {@code next}. */
  private List<ConsumerRecord<byte[], byte[]>> buffer = Collections.emptyList();
  private int buffered;
  /** The offset the buffer and the consumer's position continue from; -1 before the first seek. */
  private long continuesFrom = -1;
  long lastReleasedNanos;

  PartitionConsumer(ConsumerPool.Key key, Map<String, Object> params) {
    this.key = key;
    this.tp = key.topicPartition();
    SaslClientRouter.install(); // OAUTHBEARER and SCRAM work beside other Kafka clients in this JVM
    this.consumer = new KafkaConsumer<>(params);
    consumer.assign(Collections.singleton(tp));
  }

  ConsumerPool.Key key() {
    return key;
  }

  /**
   * Positions the consumer at {@code offset} in the log the partition had under {@code leaderEpoch}
   * (negative: not known). Kafka's consumer then asks the leader where that epoch's log ends before it
   * fetches: a log cut back below {@code offset} (unclean leader election), even one grown past it again
   * since, surfaces in {@link #next} as a divergence, not as new records at the same offsets. A consumer
   * that already continues from {@code offset} keeps its position, which Kafka validates by itself.
   */
  public void startAt(long offset, long leaderEpoch) {
    if (offset == continuesFrom || leaderEpoch < 0) {
      return;
    }
    clearBuffer();
    consumer.seek(tp, new OffsetAndMetadata(offset, Optional.of((int) leaderEpoch), ""));
    continuesFrom = offset;
  }

  /**
   * The next record of {@code tp} at or after {@code offset} and below {@code until}, or null when
   * the range holds no more records. Offsets missing inside the log (compaction, transaction
   * markers, aborted records under read_committed) are skipped: they are not loss. Offsets missing
   * because the log no longer has them go to {@code lossPolicy}.
   */
  public ConsumerRecord<byte[], byte[]> next(long offset, long until, long pollTimeoutMs, DataLossPolicy lossPolicy) {
    if (offset >= until) {
      return null;
    }
    if (offset != continuesFrom) {
      seek(offset);
    }
    ConsumerRecord<byte[], byte[]> r = nextBuffered(offset, until);
    if (r != null || continuesFrom == until) { // the per-record path: no clock read, no consumer call
      return r;
    }
    long deadline = System.nanoTime() + pollTimeoutMs * 1_000_000L;
    while (true) {
      r = nextBuffered(offset, until);
      if (r != null || continuesFrom == until) {
        return r;
      }
      try {
        if (consumer.position(tp) >= until) {
          continuesFrom = until; // the rest of the range holds no records (markers or aborted ones)
          return null;
        }
        long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
        if (leftMs <= 0) {
          return onNoProgress(offset, until, pollTimeoutMs, lossPolicy);
        }
        // assigned one partition only: its list is the whole poll
        buffer = consumer.poll(Duration.ofMillis(Math.min(leftMs, MAX_POLL_WAIT_MS))).records(tp);
        buffered = 0;
      } catch (LogTruncationException e) {
        offset = onDivergence(e, lossPolicy);
      } catch (OffsetOutOfRangeException e) {
        long resumeAt;
        try {
          resumeAt = onOutOfRange(until, lossPolicy);
        } catch (AuthenticationException refused) { // its lookups may open a new connection, too
          throw refusedLogin(refused);
        }
        if (resumeAt >= until) {
          continuesFrom = until;
          return null;
        }
        offset = resumeAt;
      } catch (AuthenticationException e) { // retrying cannot help: stop with what to check
        throw refusedLogin(e);
      }
    }
  }

  private ZdlException refusedLogin(AuthenticationException e) {
    return AuthenticationFailures.find(e, "read topic " + tp.topic() + " partition " + tp.partition());
  }

  /**
   * The consumer checked its position against the leader's epochs (it does after a leader change, for
   * a position it reached by reading) and found the log diverged below it: a new leader's log ends
   * earlier (unclean leader election), even if it has grown back past the position since. The new
   * log's records below the position are never read by this query: they go to {@code lossPolicy}.
   * Reading goes on at the position, in the new log.
   *
   * @return the position
   */
  private long onDivergence(LogTruncationException e, DataLossPolicy lossPolicy) {
    Long fetched = e.offsetOutOfRangePartitions().get(tp);
    long position = fetched != null ? fetched : continuesFrom;
    OffsetAndMetadata divergent = e.divergentOffsets().get(tp);
    if (divergent != null && divergent.offset() < position) {
      lossPolicy.onLoss(tp, divergent.offset(), position, LossCause.LOG_TRUNCATED);
    }
    seek(position); // a seek without an epoch: the new log is read from here on
    return position;
  }

  /**
   * The broker refused the consumer's position as out of range: below the log start (retention,
   * DeleteRecords) or past the log end (the log was truncated below the range: unclean leader election,
   * or the topic deleted and created again). Either loss goes to {@code lossPolicy}.
   *
   * @return the offset to read on from; {@code until} when nothing of the range is left
   */
  private long onOutOfRange(long until, DataLossPolicy lossPolicy) {
    long position = consumer.position(tp);
    long logStart = consumer.beginningOffsets(Collections.singleton(tp)).get(tp);
    if (logStart > position) {
      long resumeAt = Math.min(logStart, until);
      lossPolicy.onLoss(tp, position, resumeAt, LossCause.OFFSETS_OUT_OF_RANGE);
      seek(resumeAt);
      return resumeAt;
    }
    long logEnd = consumer.endOffsets(Collections.singleton(tp)).get(tp);
    if (logEnd < position) {
      // records once at [logEnd, until) are gone; new ones written there are not this range's records
      lossPolicy.onLoss(tp, position, until, LossCause.LOG_TRUNCATED);
      seek(until);
      return until;
    }
    // in range again by now (a leader that had not caught up): read on, within the poll timeout
    seek(position);
    return position;
  }

  /** The range has records we were told exist, but none came within the poll timeout: find out why. */
  private ConsumerRecord<byte[], byte[]> onNoProgress(long offset, long until, long pollTimeoutMs,
      DataLossPolicy lossPolicy) {
    long position = consumer.position(tp);
    long logEnd;
    try {
      logEnd = consumer.endOffsets(Collections.singleton(tp)).get(tp);
    } catch (AuthenticationException e) { // a refused login is no unreachable broker
      throw refusedLogin(e);
    } catch (KafkaException e) { // the broker is gone, not just slow: say so, with the range at stake
      throw new ZdlException(ZdlErrors.FETCH_TIMEOUT, String.format(
          "No record of topic %s partition %d at or after offset %d arrived within %d ms, and the log end could not "
              + "be asked either (%s); the brokers in kafka.bootstrap.servers look unreachable. Nothing of this "
              + "batch is committed: restart the query once they are back", tp.topic(), tp.partition(), offset,
          pollTimeoutMs, e.getClass().getSimpleName()), e);
    }
    if (logEnd < until) {
      lossPolicy.onLoss(tp, Math.max(position, logEnd), until, LossCause.LOG_TRUNCATED);
      seek(until);
      return null;
    }
    throw new ZdlException(ZdlErrors.FETCH_TIMEOUT, String.format(
        "No record of topic %s partition %d at or after offset %d arrived within %d ms although the log ends at %d; "
            + "check the brokers, or raise kafkaConsumer.pollTimeoutMs", tp.topic(), tp.partition(), offset,
        pollTimeoutMs, logEnd));
  }

  /**
   * The next buffered record in [{@code offset}, {@code until}), or null; when the buffer reaches
   * {@code until}, the range is done and {@code continuesFrom} becomes {@code until}.
   */
  private ConsumerRecord<byte[], byte[]> nextBuffered(long offset, long until) {
    while (buffered < buffer.size()) {
      ConsumerRecord<byte[], byte[]> r = buffer.get(buffered);
      if (r.offset() < offset) { // cannot happen after a seek; kept as a guard against stale fetches
        buffered++;
        continue;
      }
      if (r.offset() >= until) {
        continuesFrom = until; // kept buffered: the next range of this partition starts here
        if (buffered > 0) { // a pooled consumer keeps only what the next range may use, not the whole poll
          buffer = new ArrayList<>(buffer.subList(buffered, buffer.size()));
          buffered = 0;
        }
        return null;
      }
      buffered++;
      continuesFrom = r.offset() + 1;
      return r;
    }
    clearBuffer(); // all read: let the poll's records go
    return null;
  }

  private void seek(long offset) {
    clearBuffer();
    consumer.seek(tp, offset);
    continuesFrom = offset;
  }

  private void clearBuffer() {
    buffer = Collections.emptyList();
    buffered = 0;
  }

  @Override
  public void close() {
    clearBuffer();
    consumer.close(Duration.ofSeconds(5));
  }
}
