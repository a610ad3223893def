package io.zdl.spark.kafka.metadata;

import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.offset.PartitionOffsets;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link KafkaOffsetReader} on the Kafka AdminClient; retries retriable failures a bounded number of times. */
public final class AdminOffsetReader implements KafkaOffsetReader {
  private static final Logger LOG = LoggerFactory.getLogger(AdminOffsetReader.class);

  private final Admin admin;
  private final TopicSubscription subscription;
  private final IsolationLevel isolationLevel;
  private final int numRetries;
  private final long retryIntervalMs;
  private volatile Map<String, String> lastTopicIds = new HashMap<>();

  public AdminOffsetReader(Map<String, Object> adminParams, TopicSubscription subscription,
      IsolationLevel isolationLevel, int numRetries, long retryIntervalMs) {
    this.admin = Admin.create(adminParams);
    this.subscription = subscription;
    this.isolationLevel = isolationLevel;
    this.numRetries = numRetries;
    this.retryIntervalMs = retryIntervalMs;
  }

  @Override
  public Set<TopicPartition> partitions() {
    return withRetries("list partitions of " + subscription, () -> {
      Map<String, String> ids = new HashMap<>();
      Set<TopicPartition> partitions = subscription.currentPartitions(admin, ids);
      lastTopicIds = ids;
      return partitions;
    });
  }

  @Override
  public Map<String, String> lastTopicIds() {
    return lastTopicIds;
  }

  @Override
  public Map<TopicPartition, Long> earliestOffsets(Set<TopicPartition> partitions) {
    return list(partitions, OffsetSpec.earliest(), "earliest offsets");
  }

  @Override
  public Map<TopicPartition, Long> latestOffsets(Set<TopicPartition> partitions) {
    return list(partitions, OffsetSpec.latest(), "latest offsets");
  }

  /** Both ListOffsets requests are sent before either answer is awaited: one round trip, not two. */
  @Override
  public void latestAndEarliestOffsets(Set<TopicPartition> partitions, Map<TopicPartition, Long> latest,
      Map<TopicPartition, Long> earliest) {
    if (partitions.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetSpec> latestSpecs = specs(partitions, OffsetSpec.latest());
    Map<TopicPartition, OffsetSpec> earliestSpecs = specs(partitions, OffsetSpec.earliest());
    withRetries("look up latest and earliest offsets", () -> {
      ListOffsetsOptions options = new ListOffsetsOptions(isolationLevel);
      ListOffsetsResult l = admin.listOffsets(latestSpecs, options);
      ListOffsetsResult e = admin.listOffsets(earliestSpecs, options);
      Map<TopicPartition, Long> latestFound = offsets(l.all().get());
      Map<TopicPartition, Long> earliestFound = offsets(e.all().get());
      latest.putAll(latestFound);
      earliest.putAll(earliestFound);
      return null;
    });
  }

  private static Map<TopicPartition, OffsetSpec> specs(Set<TopicPartition> partitions, OffsetSpec spec) {
    Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
    for (TopicPartition tp : partitions) {
      specs.put(tp, spec);
    }
    return specs;
  }

  private static Map<TopicPartition, Long> offsets(Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> infos) {
    Map<TopicPartition, Long> result = PartitionOffsets.sorted();
    for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : infos.entrySet()) {
      result.put(e.getKey(), e.getValue().offset());
    }
    return result;
  }

  @Override
  public Map<TopicPartition, Long> offsetsForTimestamps(Map<TopicPartition, Long> timestamps) {
    Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
    for (Map.Entry<TopicPartition, Long> e : timestamps.entrySet()) {
      specs.put(e.getKey(), OffsetSpec.forTimestamp(e.getValue()));
    }
    return list(specs, "offsets for timestamps");
  }

  private Map<TopicPartition, Long> list(Set<TopicPartition> partitions, OffsetSpec spec, String what) {
    return list(specs(partitions, spec), what);
  }

  private Map<TopicPartition, Long> list(Map<TopicPartition, OffsetSpec> specs, String what) {
    if (specs.isEmpty()) {
      return PartitionOffsets.sorted();
    }
    return withRetries("look up " + what, () -> {
      return offsets(admin.listOffsets(specs, new ListOffsetsOptions(isolationLevel)).all().get());
    });
  }

  private interface AdminCall<T> {
    T call() throws InterruptedException, ExecutionException;
  }

  private <T> T withRetries(String what, AdminCall<T> call) {
    for (int attempt = 0; ; attempt++) {
      try {
        return call.call();
      } catch (InterruptedException e) {
        throw interrupted(what, e);
      } catch (ExecutionException | RuntimeException e) {
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        boolean retriable = cause instanceof RetriableException;
        if (!retriable || attempt >= numRetries) {
          throw new ZdlException(ZdlErrors.OFFSET_LOOKUP_FAILED, String.format(
              "Could not %s after %d attempt(s): %s. Check kafka.bootstrap.servers and that the brokers "
                  + "are reachable; retries are set by fetchOffset.numRetries and fetchOffset.retryIntervalMs",
              what, attempt + 1, cause.toString()), cause);
        }
        LOG.warn("Attempt {} to {} failed, retrying in {} ms: {}", attempt + 1, what, retryIntervalMs, cause.toString());
        try {
          Thread.sleep(retryIntervalMs);
        } catch (InterruptedException ie) {
          throw interrupted(what, ie);
        }
      }
    }
  }

  /**
   * {@code query.stop()} interrupts the stream thread. Spark counts a query as stopped cleanly only
   * when the interruption reaches it as such (it looks through UncheckedIOException), not as a failure.
   */
  static UncheckedIOException interrupted(String what, InterruptedException e) {
    Thread.currentThread().interrupt();
    InterruptedIOException io = new InterruptedIOException("Interrupted while trying to " + what);
    io.initCause(e);
    return new UncheckedIOException(io);
  }

  /** Pending lookups are of no use once the stream stops: abandon them rather than wait. */
  @Override
  public void close() {
    admin.close(Duration.ZERO);
  }
}
