package io.zdl.spark.kafka.group;

import io.zdl.spark.kafka.security.SaslClientRouter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mirrors a stream's committed offsets into a Kafka consumer group, for lag monitoring only. Runs on
 * its own thread so a slow or unreachable broker never holds up a batch; when batches commit faster
 * than the group can, only the newest offsets are sent (they supersede the older ones). Failures are
 * retried a few times, logged and counted, never thrown: the checkpoint is the truth, not the group.
 */
public final class GroupOffsetCommitter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupOffsetCommitter.class);
  static final int ATTEMPTS = 3;
  private static final long ATTEMPT_TIMEOUT_MS = 10_000;
  private static final long RETRY_WAIT_MS = 1_000;

  private final String group;
  private final Admin admin;
  private final AtomicReference<Pending> pending = new AtomicReference<>();
  private final AtomicLong failedBatches = new AtomicLong();
  private final Thread worker;
  private volatile boolean closed;

  public GroupOffsetCommitter(String group, Map<String, Object> adminParams) {
    this.group = group;
    SaslClientRouter.install(); // OAUTHBEARER and SCRAM work beside other Kafka clients in this JVM
    this.admin = Admin.create(adminParams);
    this.worker = new Thread(this::run, "zdl-kafka group commit " + group);
    worker.setDaemon(true);
    worker.start();
  }

  /** Queues {@code nextOffsets} (the next offset to read per partition) of batch {@code batchLabel}. */
  public void commitAsync(Map<TopicPartition, Long> nextOffsets, String batchLabel) {
    pending.set(new Pending(new HashMap<>(nextOffsets), batchLabel));
    synchronized (pending) {
      pending.notifyAll();
    }
  }

  /** Group commits given up on after {@value #ATTEMPTS} attempts. */
  public long failedBatches() {
    return failedBatches.get();
  }

  private void run() {
    while (!closed) {
      Pending next = pending.getAndSet(null);
      if (next == null) {
        synchronized (pending) {
          try {
            if (pending.get() == null && !closed) {
              pending.wait(1000);
            }
          } catch (InterruptedException e) {
            return;
          }
        }
        continue;
      }
      commit(next);
    }
  }

  private void commit(Pending p) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (Map.Entry<TopicPartition, Long> e : p.offsets.entrySet()) {
      offsets.put(e.getKey(), new OffsetAndMetadata(e.getValue(), "zdl-kafka " + p.batchLabel));
    }
    for (int attempt = 1; attempt <= ATTEMPTS && !closed; attempt++) {
      try {
        admin.alterConsumerGroupOffsets(group, offsets).all().get(ATTEMPT_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        LOG.debug("Committed offsets of {} to consumer group {}", p.batchLabel, group);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException | RuntimeException e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        if (attempt == ATTEMPTS || pending.get() != null) {
          // given up, or superseded by a newer batch's offsets: count it and move on
          failedBatches.incrementAndGet();
          LOG.warn("Could not commit offsets of {} to consumer group {} ({} attempt(s)): {}. The query goes on; "
              + "only the group's lag view is behind.", p.batchLabel, group, attempt, cause.toString());
          return;
        }
        sleepQuietly(RETRY_WAIT_MS);
      }
    }
  }

  private static void sleepQuietly(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Gives a queued commit a short time to go out, then stops. */
  @Override
  public void close() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (pending.get() != null && System.nanoTime() < deadline) {
      sleepQuietly(50);
    }
    closed = true;
    synchronized (pending) {
      pending.notifyAll();
    }
    try {
      worker.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.close(Duration.ofSeconds(5));
  }

  private static final class Pending {
    final Map<TopicPartition, Long> offsets;
    final String batchLabel;

    Pending(Map<TopicPartition, Long> offsets, String batchLabel) {
      this.offsets = offsets;
      this.batchLabel = batchLabel;
    }
  }
}
