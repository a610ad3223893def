package io.zdl.spark.kafka.metadata;

import java.io.Serializable;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import io.zdl.spark.kafka.offset.PartitionOffsets;

/** Which topic-partitions the query reads: {@code subscribe}, {@code subscribePattern} or {@code assign}. */
public abstract class TopicSubscription implements Serializable {

  public static TopicSubscription topics(List<String> topics) {
    return new Topics(topics);
  }

  public static TopicSubscription pattern(Pattern pattern) {
    return new TopicPattern(pattern);
  }

  public static TopicSubscription assigned(Set<TopicPartition> partitions) {
    return new Assigned(partitions);
  }

  /**
   * The partitions that exist now and belong to this subscription, sorted; puts each of their topics'
   * id into {@code topicIds}.
   */
  public abstract Set<TopicPartition> currentPartitions(Admin admin, Map<String, String> topicIds)
      throws InterruptedException, ExecutionException;

  /** Safe to show in plans and logs: names topics, never connection settings. */
  @Override
  public abstract String toString();

  /** One DescribeTopics request for all {@code topics}: one round trip however many topics the query reads. */
  static Set<TopicPartition> partitionsOf(Admin admin, Collection<String> topics, Map<String, String> topicIds)
      throws InterruptedException, ExecutionException {
    Set<TopicPartition> result = new TreeSet<>(PartitionOffsets.ORDER);
    if (topics.isEmpty()) {
      return result;
    }
    Map<String, KafkaFuture<TopicDescription>> described = admin.describeTopics(topics).topicNameValues();
    for (String topic : topics) {
      TopicDescription description;
      try {
        description = described.get(topic).get();
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UnknownTopicOrPartitionException) {
          continue; // not created yet: it joins the query once it exists, as in Spark's source
        }
        throw e;
      }
      if (description.topicId() != null) {
        topicIds.put(topic, description.topicId().toString());
      }
      for (TopicPartitionInfo p : description.partitions()) {
        result.add(new TopicPartition(topic, p.partition()));
      }
    }
    return result;
  }

  private static final class Topics extends TopicSubscription {
    private final List<String> topics;

    Topics(List<String> topics) {
      this.topics = Collections.unmodifiableList(topics);
    }

    @Override
    public Set<TopicPartition> currentPartitions(Admin admin, Map<String, String> topicIds)
        throws InterruptedException, ExecutionException {
      return partitionsOf(admin, topics, topicIds);
    }

    @Override
    public String toString() {
      return "subscribe" + topics;
    }
  }

  private static final class TopicPattern extends TopicSubscription {
    private final Pattern pattern;

    TopicPattern(Pattern pattern) {
      this.pattern = pattern;
    }

    @Override
    public Set<TopicPartition> currentPartitions(Admin admin, Map<String, String> topicIds)
        throws InterruptedException, ExecutionException {
      Set<String> matching = new TreeSet<>();
      for (String topic : admin.listTopics(new ListTopicsOptions().listInternal(false)).names().get()) {
        if (pattern.matcher(topic).matches()) {
          matching.add(topic);
        }
      }
      return partitionsOf(admin, matching, topicIds);
    }

    @Override
    public String toString() {
      return "subscribePattern[" + pattern.pattern() + "]";
    }
  }

  private static final class Assigned extends TopicSubscription {
    private final Set<TopicPartition> partitions;

    Assigned(Set<TopicPartition> partitions) {
      Set<TopicPartition> sorted = new TreeSet<>(PartitionOffsets.ORDER);
      sorted.addAll(partitions);
      this.partitions = Collections.unmodifiableSet(sorted);
    }

    @Override
    public Set<TopicPartition> currentPartitions(Admin admin, Map<String, String> topicIds)
        throws InterruptedException, ExecutionException {
      // only the assigned partitions that exist; a missing one is reported by the caller
      Set<TopicPartition> existing = new TreeSet<>(PartitionOffsets.ORDER);
      Set<String> topics = new TreeSet<>();
      for (TopicPartition tp : partitions) {
        topics.add(tp.topic());
      }
      Set<TopicPartition> present = partitionsOf(admin, topics, topicIds);
      for (TopicPartition tp : partitions) {
        if (present.contains(tp)) {
          existing.add(tp);
        }
      }
      return existing;
    }

    @Override
    public String toString() {
      return "assign" + partitions;
    }
  }
}
