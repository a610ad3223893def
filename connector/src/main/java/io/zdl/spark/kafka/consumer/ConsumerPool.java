package io.zdl.spark.kafka.consumer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executor-side pool of {@link PartitionConsumer}s, one JVM-wide instance. A task borrows the
 * consumer of its topic-partition and returns it, so the next batch's task for that partition
 * (scheduled here by its preferred location) reuses the connection and any buffered records.
 * Idle consumers are closed after {@link #IDLE_TIMEOUT_MS} or when more than {@link #MAX_IDLE}
 * are idle.
 */
public final class ConsumerPool {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerPool.class);
  static final long IDLE_TIMEOUT_MS = 5 * 60_000L;
  static final int MAX_IDLE = 64;
  private static final ConsumerPool INSTANCE = new ConsumerPool();

  private final Map<Key, ArrayDeque<PartitionConsumer>> idle = new HashMap<>();
  private int idleCount;
  private long created;
  private long reused;

  public static ConsumerPool get() {
    return INSTANCE;
  }

  /** A consumer for {@code tp} with exactly these settings: an idle one if there is one, else a new one. */
  public PartitionConsumer acquire(Map<String, Object> params, TopicPartition tp) {
    Key key = new Key(params, tp);
    synchronized (this) {
      ArrayDeque<PartitionConsumer> q = idle.get(key);
      if (q != null && !q.isEmpty()) {
        idleCount--;
        reused++;
        return q.pollLast();
      }
      created++;
    }
    return new PartitionConsumer(key, params);
  }

  /** Returns a consumer whose state is consistent (it finished its range or failed only outside Kafka I/O). */
  public void release(PartitionConsumer consumer) {
    consumer.lastReleasedNanos = System.nanoTime();
    List<PartitionConsumer> toClose;
    synchronized (this) {
      idle.computeIfAbsent(consumer.key(), k -> new ArrayDeque<>()).addLast(consumer);
      idleCount++;
      toClose = evict();
    }
    closeAll(toClose);
  }

  /** Closes a consumer that may be in a bad state, instead of pooling it. */
  public void discard(PartitionConsumer consumer) {
    closeAll(java.util.Collections.singletonList(consumer));
  }

  /** Consumers opened since this JVM started. */
  public synchronized long createdCount() {
    return created;
  }

  /** Times a task got an already open consumer instead of a new one. */
  public synchronized long reusedCount() {
    return reused;
  }

  private List<PartitionConsumer> evict() {
    List<PartitionConsumer> out = new ArrayList<>();
    long now = System.nanoTime();
    for (Iterator<ArrayDeque<PartitionConsumer>> it = idle.values().iterator(); it.hasNext(); ) {
      ArrayDeque<PartitionConsumer> q = it.next();
      while (!q.isEmpty() && (now - q.peekFirst().lastReleasedNanos) / 1_000_000L > IDLE_TIMEOUT_MS) {
        out.add(q.pollFirst());
        idleCount--;
      }
      if (q.isEmpty()) {
        it.remove();
      }
    }
    while (idleCount > MAX_IDLE) {
      PartitionConsumer oldest = null;
      ArrayDeque<PartitionConsumer> from = null;
      for (ArrayDeque<PartitionConsumer> q : idle.values()) {
        if (!q.isEmpty() && (oldest == null || q.peekFirst().lastReleasedNanos < oldest.lastReleasedNanos)) {
          oldest = q.peekFirst();
          from = q;
        }
      }
      from.pollFirst();
      idleCount--;
      out.add(oldest);
    }
    return out;
  }

  private static void closeAll(List<PartitionConsumer> consumers) {
    for (PartitionConsumer c : consumers) {
      try {
        c.close();
      } catch (RuntimeException e) {
        LOG.warn("Failed to close a Kafka consumer of {}: {}", c.key().topicPartition(), e.toString());
      }
    }
  }

  /** Consumers are shared only between tasks with identical settings (same query, same credentials). */
  static final class Key {
    private final Map<String, String> params;
    private final TopicPartition tp;

    Key(Map<String, Object> params, TopicPartition tp) {
      Map<String, String> p = new TreeMap<>();
      for (Map.Entry<String, Object> e : params.entrySet()) {
        Object v = e.getValue();
        p.put(e.getKey(), v instanceof Class ? ((Class<?>) v).getName() : String.valueOf(v));
      }
      this.params = p;
      this.tp = tp;
    }

    TopicPartition topicPartition() {
      return tp;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Key && ((Key) o).tp.equals(tp) && ((Key) o).params.equals(params);
    }

    @Override
    public int hashCode() {
      return Objects.hash(params, tp);
    }

    /** Never the settings: they may hold secrets. */
    @Override
    public String toString() {
      return "ConsumerPool.Key[" + tp + "]";
    }
  }
}
