package io.zdl.spark.kafka.read;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.SparkEnv;
import org.apache.spark.storage.BlockManagerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.collection.JavaConverters;

/**
 * Pins each Kafka partition to one executor, so that batch after batch its task lands where the
 * pooled consumer (and its buffered records) already is. Uses Spark's block manager to list
 * executors; on a runtime where that is not reachable, tasks simply get no preference.
 */
public final class ExecutorLocations {
  private static final Logger LOG = LoggerFactory.getLogger(ExecutorLocations.class);

  private final List<String> executors;

  ExecutorLocations(List<String> executors) {
    this.executors = executors;
  }

  /** The live executors (not the driver), sorted, in Spark's "executor_host_id" location form. */
  public static ExecutorLocations current() {
    try {
      SparkEnv env = SparkEnv.get();
      if (env == null) {
        return new ExecutorLocations(Collections.<String>emptyList());
      }
      BlockManagerId self = env.blockManager().blockManagerId();
      List<String> locations = new ArrayList<>();
      for (BlockManagerId id : JavaConverters.seqAsJavaList(env.blockManager().master().getPeers(self))) {
        locations.add("executor_" + id.host() + "_" + id.executorId());
      }
      Collections.sort(locations);
      return new ExecutorLocations(locations);
    } catch (Throwable e) { // internals differ on some managed runtimes: locality is an optimisation only
      LOG.debug("No executor list for task locality: {}", e.toString());
      return new ExecutorLocations(Collections.<String>emptyList());
    }
  }

  /** The executor this partition should be read on, or null for no preference. */
  public String preferredFor(TopicPartition tp) {
    if (executors.isEmpty()) {
      return null;
    }
    return executors.get(Math.floorMod(tp.hashCode(), executors.size()));
  }
}
