package io.zdl.spark.kafka.metadata;

import io.zdl.spark.kafka.security.AuthenticationFailures;
import io.zdl.spark.kafka.security.ClientRestrictions;
import io.zdl.spark.kafka.security.SaslClientRouter;
import io.zdl.spark.error.ZdlErrors;
import io.zdl.spark.error.ZdlException;
import io.zdl.spark.kafka.offset.PartitionOffsets;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link KafkaOffsetReader} on the Kafka AdminClient; retries retriable failures a bounded number of times. */
public final class AdminOffsetReader implements KafkaOffsetReader {
  private static final Logger LOG = LoggerFactory.getLogger(AdminOffsetReader.class);

  private final Admin admin;
  /** Null: {@link #partitionsWithOffsets} asks the Admin client alone, one lookup after the other. */
  private final Map<String, Object> lookupConsumerParams;
  /** Made on a stream's first batch, and again after a lookup on it failed or was abandoned. */
  private ConsumerOffsetLookup lookup;
  private final TopicSubscription subscription;
  private final IsolationLevel isolationLevel;
  private final int numRetries;
  private final long retryIntervalMs;
  private volatile Map<String, String> lastTopicIds = new HashMap<>();
  private volatile Map<TopicPartition, Long> lastLatestEpochs = PartitionOffsets.sorted();
  /** Guarded by itself (not this reader, whose lock close() takes while a listing may wait between retries). */
  private final PartitionLister lister;

  public AdminOffsetReader(Map<String, Object> adminParams, TopicSubscription subscription,
      IsolationLevel isolationLevel, int numRetries, long retryIntervalMs) {
    this(adminParams, null, subscription, isolationLevel, numRetries, retryIntervalMs);
  }

  /**
   * @param lookupConsumerParams settings of a consumer for the per-batch lookups of a stream (see
   *     {@link ConsumerOffsetLookup}), with the same {@code isolation.level}; null for none
   */
  public AdminOffsetReader(Map<String, Object> adminParams, Map<String, Object> lookupConsumerParams,
      TopicSubscription subscription, IsolationLevel isolationLevel, int numRetries, long retryIntervalMs) {
    SaslClientRouter.install(); // OAUTHBEARER and SCRAM work beside other Kafka clients in this JVM
    this.admin = createAdmin(adminParams);
    this.lookupConsumerParams = lookupConsumerParams;
    this.subscription = subscription;
    this.isolationLevel = isolationLevel;
    this.numRetries = numRetries;
    this.retryIntervalMs = retryIntervalMs;
    this.lister = new PartitionLister(numRetries, retryIntervalMs, Thread::sleep);
  }

  @Override
  public Set<TopicPartition> partitions() {
    return partitions(Collections.<TopicPartition>emptySet());
  }

  /**
   * The partitions that exist. One that is {@code expected} or was listed before and is missing now is
   * asked for again (fetchOffset.numRetries times, fetchOffset.retryIntervalMs apart) before it is taken
   * for gone: a broker that metadata has not reached yet answers UNKNOWN_TOPIC_OR_PARTITION.
   */
  @Override
  public Set<TopicPartition> partitions(Set<TopicPartition> expected) {
    Map<String, String> ids = new HashMap<>();
    try {
      Set<TopicPartition> partitions;
      synchronized (lister) {
        partitions = lister.list(expected, () -> withRetries("list partitions of " + subscription,
            () -> subscription.currentPartitions(admin, ids)));
      }
      lastTopicIds = ids;
      return partitions;
    } catch (InterruptedException e) {
      throw interrupted("list partitions of " + subscription, e);
    }
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
    Map<TopicPartition, Long> epochs = PartitionOffsets.sorted();
    Map<TopicPartition, Long> latest = partitions.isEmpty() ? PartitionOffsets.<Long>sorted()
        : withRetries("look up latest offsets", () -> offsets(admin.listOffsets(specs(partitions, OffsetSpec.latest()),
            new ListOffsetsOptions(isolationLevel)).all().get(), epochs));
    lastLatestEpochs = epochs;
    return latest;
  }

  @Override
  public Map<TopicPartition, Long> lastLatestEpochs() {
    return lastLatestEpochs;
  }

  /** Both ListOffsets requests are sent before either answer is awaited: one round trip, not two. */
  @Override
  public void latestAndEarliestOffsets(Set<TopicPartition> partitions, Map<TopicPartition, Long> latest,
      Map<TopicPartition, Long> earliest) {
    Map<TopicPartition, Long> epochs = PartitionOffsets.sorted();
    latestAndEarliestOffsets(partitions, latest, earliest, epochs);
    lastLatestEpochs = epochs;
  }

  private void latestAndEarliestOffsets(Set<TopicPartition> partitions, Map<TopicPartition, Long> latest,
      Map<TopicPartition, Long> earliest, Map<TopicPartition, Long> epochs) {
    if (partitions.isEmpty()) {
      return;
    }
    Map<TopicPartition, OffsetSpec> latestSpecs = specs(partitions, OffsetSpec.latest());
    Map<TopicPartition, OffsetSpec> earliestSpecs = specs(partitions, OffsetSpec.earliest());
    withRetries("look up latest and earliest offsets", () -> {
      ListOffsetsOptions options = new ListOffsetsOptions(isolationLevel);
      ListOffsetsResult l = admin.listOffsets(latestSpecs, options);
      ListOffsetsResult e = admin.listOffsets(earliestSpecs, options);
      Map<TopicPartition, Long> epochsFound = PartitionOffsets.sorted();
      Map<TopicPartition, Long> latestFound = offsets(l.all().get(), epochsFound);
      Map<TopicPartition, Long> earliestFound = offsets(e.all().get(), null);
      latest.putAll(latestFound);
      earliest.putAll(earliestFound);
      epochs.putAll(epochsFound);
      return null;
    });
  }

  /**
   * Looks up the offsets of {@code expected} on the lookup consumer while DescribeTopics lists the
   * partitions. Partitions not expected (new ones), or all of them if the consumer's lookup failed or
   * an expected partition is gone, are then looked up on the Admin client, with its retries.
   */
  @Override
  public Set<TopicPartition> partitionsWithOffsets(Set<TopicPartition> expected, Map<TopicPartition, Long> latest,
      Map<TopicPartition, Long> earliest) {
    if (lookupConsumerParams == null) {
      Set<TopicPartition> partitions = partitions(expected);
      latestAndEarliestOffsets(partitions, latest, earliest);
      return partitions;
    }
    Future<ConsumerOffsetLookup.Offsets> early = expected.isEmpty() ? null : lookup().lookUp(expected);
    // the consumer cannot tell leader epochs: the Admin client asks the latest offsets again, at the same
    // time, only for their epochs
    KafkaFuture<Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo>> earlyEpochs = expected.isEmpty()
        ? null : admin.listOffsets(specs(expected, OffsetSpec.latest()), new ListOffsetsOptions(isolationLevel)).all();
    Set<TopicPartition> partitions;
    try {
      partitions = partitions(expected);
    } catch (RuntimeException e) {
      if (early != null) {
        discardLookup();
      }
      throw e;
    }
    ConsumerOffsetLookup.Offsets found = null;
    if (early != null && !partitions.containsAll(expected)) {
      // the consumer would wait for a gone partition's leader until default.api.timeout.ms
      discardLookup();
    } else if (early != null) {
      found = await(early);
    }
    Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> withEpochs =
        found == null ? null : epochsOrNull(earlyEpochs);
    Map<TopicPartition, Long> epochs = PartitionOffsets.sorted();
    Set<TopicPartition> lookUpAgain = new TreeSet<>(PartitionOffsets.ORDER);
    for (TopicPartition tp : partitions) {
      Long end = found == null ? null : found.latest.get(tp);
      Long start = found == null ? null : found.earliest.get(tp);
      if (end != null && start != null) {
        latest.put(tp, end);
        earliest.put(tp, start);
        ListOffsetsResult.ListOffsetsResultInfo info = withEpochs == null ? null : withEpochs.get(tp);
        // an epoch under which the log reached at least this end holds for every offset up to it
        if (info != null && info.offset() >= end && info.leaderEpoch().isPresent()) {
          epochs.put(tp, (long) info.leaderEpoch().get());
        }
      } else {
        lookUpAgain.add(tp);
      }
    }
    latestAndEarliestOffsets(lookUpAgain, latest, earliest, epochs);
    lastLatestEpochs = epochs;
    return partitions;
  }

  /**
   * The Admin client's answer asked only for epochs, or null if it failed: the positions are then
   * recorded without an epoch (read as before epochs were kept), never held up.
   */
  private Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> epochsOrNull(
      KafkaFuture<Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo>> answer) {
    if (answer == null) {
      return null;
    }
    try {
      return answer.get();
    } catch (InterruptedException e) {
      throw interrupted("look up leader epochs", e);
    } catch (ExecutionException e) {
      LOG.debug("Leader epochs of the latest offsets not known this batch: {}", e.getCause().toString());
      return null;
    }
  }

  private static Admin createAdmin(Map<String, Object> adminParams) {
    try {
      return Admin.create(adminParams);
    } catch (KafkaException e) {
      ClientRestrictions.rethrowIfRestricted(e);
      throw e;
    }
  }

  private synchronized ConsumerOffsetLookup lookup() {
    if (lookup == null) {
      try {
        lookup = new ConsumerOffsetLookup(lookupConsumerParams);
      } catch (KafkaException e) {
        ClientRestrictions.rethrowIfRestricted(e);
        AuthenticationFailures.rethrowIfAuthentication(e, "create the consumer that looks up offsets");
        throw new ZdlException(ZdlErrors.OFFSET_LOOKUP_FAILED, "Could not create the consumer that looks up "
            + "offsets on the driver: " + e + ". Check the kafka.* options", e);
      }
    }
    return lookup;
  }

  private synchronized void discardLookup() {
    if (lookup != null) {
      lookup.close();
      lookup = null;
    }
  }

  /** The lookup's answer, or null if it failed (the Admin client then looks up all partitions). */
  private ConsumerOffsetLookup.Offsets await(Future<ConsumerOffsetLookup.Offsets> early) {
    try {
      return early.get();
    } catch (InterruptedException e) {
      discardLookup();
      throw interrupted("look up latest and earliest offsets", e);
    } catch (ExecutionException e) {
      LOG.info("Offset lookup on the consumer failed, asking the Admin client instead: {}", e.getCause().toString());
      discardLookup();
      return null;
    }
  }

  private static Map<TopicPartition, OffsetSpec> specs(Set<TopicPartition> partitions, OffsetSpec spec) {
    Map<TopicPartition, OffsetSpec> specs = new HashMap<>();
    for (TopicPartition tp : partitions) {
      specs.put(tp, spec);
    }
    return specs;
  }

  private static Map<TopicPartition, Long> offsets(Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> infos) {
    return offsets(infos, null);
  }

  /** The offsets; the leader epochs that came with them into {@code epochs}, unless null. */
  private static Map<TopicPartition, Long> offsets(Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> infos,
      Map<TopicPartition, Long> epochs) {
    Map<TopicPartition, Long> result = PartitionOffsets.sorted();
    for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : infos.entrySet()) {
      result.put(e.getKey(), e.getValue().offset());
      if (epochs != null && e.getValue().leaderEpoch().isPresent()) {
        epochs.put(e.getKey(), (long) e.getValue().leaderEpoch().get());
      }
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
        AuthenticationFailures.rethrowIfAuthentication(cause, what);
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
    try {
      admin.close(Duration.ZERO);
    } finally {
      discardLookup();
    }
  }
}
