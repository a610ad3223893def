package io.zdl.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.Row;

/**
 * One measured read of a whole topic: a raw consumer loop, or an AvailableNow query of one source
 * into one sink. Each run gets a fresh checkpoint (and table), so every run reads everything.
 */
enum Workload {
  RAW("raw KafkaConsumer poll loop"),
  KAFKA_NOOP("kafka -> noop"),
  ZDL_NOOP("zdl-kafka -> noop"),
  KAFKA_DELTA("kafka -> delta"),
  ZDL_DELTA("zdl-kafka -> zdl-delta");

  final String label;

  Workload(String label) {
    this.label = label;
  }

  /** What one run measured. */
  static final class Result {
    final long records;
    final long millis;
    final long peakHeapBytes;
    /** The most heap in use after a full collection following a batch; 0 unless asked for. */
    final long peakLiveHeapBytes;
    /** The first batch's phases as Spark reports them (durationMs), empty for the raw consumer. */
    final Map<String, Long> firstBatchMs;

    Result(long records, long millis, long peakHeapBytes, long peakLiveHeapBytes, Map<String, Long> firstBatchMs) {
      this.records = records;
      this.millis = millis;
      this.peakHeapBytes = peakHeapBytes;
      this.peakLiveHeapBytes = peakLiveHeapBytes;
      this.firstBatchMs = firstBatchMs;
    }
  }

  /** Reads {@code topic} from its beginning to its end and returns what it took. */
  Result run(SparkSession spark, String bootstrap, String topic, Path scratch, Map<String, String> sourceOptions) {
    return run(spark, bootstrap, topic, scratch, sourceOptions, false);
  }

  /** As above; {@code liveHeapAfterBatches}: a full collection after each batch measures the live heap. */
  Result run(SparkSession spark, String bootstrap, String topic, Path scratch, Map<String, String> sourceOptions,
      boolean liveHeapAfterBatches) {
    HeapSampler heap = HeapSampler.start();
    StreamingQueryListener afterBatches = liveHeapAfterBatches ? new LiveHeapAfterBatches(heap) : null;
    if (afterBatches != null) {
      spark.streams().addListener(afterBatches);
    }
    try {
      return this == RAW ? rawLoop(bootstrap, topic, heap) : query(spark, bootstrap, topic, scratch, sourceOptions, heap);
    } finally {
      if (afterBatches != null) {
        spark.streams().removeListener(afterBatches);
      }
      heap.stop();
    }
  }

  /** On each batch's progress event (the listener bus thread, just after the batch): the live heap. */
  private static final class LiveHeapAfterBatches extends StreamingQueryListener {
    private final HeapSampler heap;

    LiveHeapAfterBatches(HeapSampler heap) {
      this.heap = heap;
    }

    @Override
    public void onQueryStarted(QueryStartedEvent event) {}

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
      heap.sampleLive();
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {}
  }

  private Result query(SparkSession spark, String bootstrap, String topic, Path scratch,
      Map<String, String> sourceOptions, HeapSampler heap) {
    boolean zdl = this == ZDL_NOOP || this == ZDL_DELTA;
    Path dir = scratch.resolve(name().toLowerCase() + "-" + System.nanoTime());
    long t0 = System.nanoTime();
    long t0Wall = System.currentTimeMillis();
    DataStreamReader reader = spark.readStream().format(zdl ? "zdl-kafka" : "kafka")
        .option("kafka.bootstrap.servers", bootstrap)
        .option("subscribe", topic)
        .option("startingOffsets", "earliest");
    for (Map.Entry<String, String> e : sourceOptions.entrySet()) {
      reader = reader.option(e.getKey(), e.getValue());
    }
    DataStreamWriter<Row> writer = reader.load().writeStream()
        .option("checkpointLocation", dir.resolve("checkpoint").toString())
        .trigger(Trigger.AvailableNow());
    StreamingQuery q;
    try {
      if (this == KAFKA_NOOP || this == ZDL_NOOP) {
        q = writer.format("noop").start();
      } else {
        q = writer.format(zdl ? "zdl-delta" : "delta").start(dir.resolve("table").toString());
      }
      if (!q.awaitTermination(TimeUnit.MINUTES.toMillis(30))) {
        q.stop();
        throw new IllegalStateException(label + " did not finish within 30 minutes");
      }
    } catch (Exception e) {
      throw new IllegalStateException(label + " failed: " + e, e);
    }
    long millis = (System.nanoTime() - t0) / 1_000_000L;
    long records = 0;
    Map<String, Long> first = new HashMap<>();
    long batchesMs = 0;
    StreamingQueryProgress[] progress = q.recentProgress();
    for (StreamingQueryProgress p : progress) {
      records += p.numInputRows();
      batchesMs += p.durationMs().getOrDefault("triggerExecution", 0L);
      if (first.isEmpty() && p.numInputRows() > 0) {
        first.putAll(p.durationMs());
      }
    }
    // where the time outside the batches went: before the first trigger (query and source set-up) and the rest
    if (progress.length > 0) {
      long startMs = t0Wall;
      first.put("setupBeforeFirstTrigger", Instant.parse(progress[0].timestamp()).toEpochMilli() - startMs);
      first.put("allTriggers", batchesMs);
      first.put("triggers", (long) progress.length);
    }
    deleteQuietly(dir);
    return new Result(records, millis, heap.peak(), heap.peakLive(), first);
  }

  /** The limit of this machine: one consumer, all partitions, default fetch settings. */
  private static Result rawLoop(String bootstrap, String topic, HeapSampler heap) {
    long t0 = System.nanoTime();
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    long records = 0;
    long sink = 0;
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props)) {
      List<TopicPartition> tps = c.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(p.topic(), p.partition())).collect(Collectors.toList());
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
      while (!done(c, end)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("raw consumer did not reach the end within 30 minutes");
        }
        ConsumerRecords<byte[], byte[]> batch = c.poll(Duration.ofMillis(500));
        for (ConsumerRecord<byte[], byte[]> r : batch) {
          records++;
          sink += r.offset() + (r.value() == null ? 0 : r.value().length); // touch the record like a reader would
        }
      }
    }
    long millis = (System.nanoTime() - t0) / 1_000_000L;
    if (sink == 42) {
      System.out.print(""); // keeps the loop's reads alive
    }
    return new Result(records, millis, heap.peak(), heap.peakLive(), Collections.emptyMap());
  }

  private static boolean done(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Set<String> names() {
    return Stream.of(values()).map(Enum::name).collect(Collectors.toSet());
  }
}
