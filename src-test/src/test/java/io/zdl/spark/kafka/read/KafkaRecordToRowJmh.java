package io.zdl.spark.kafka.read;

import io.zdl.shaded.org.apache.kafka.clients.consumer.ConsumerRecord;
import io.zdl.shaded.org.apache.kafka.common.header.internals.RecordHeaders;
import io.zdl.shaded.org.apache.kafka.common.record.TimestampType;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.catalyst.expressions.UnsafeRow;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * JMH benchmark of the per-record hot path: a (relocated) Kafka ConsumerRecord to the Spark row the
 * reader hands out, alone and followed by the UnsafeRow projection Spark's scan applies to it.
 * Compiled and run only with {@code -Pbench} (see project-docs/benchmarks.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class KafkaRecordToRowJmh {
  @Param({"100", "1024"})
  public int valueBytes;

  @Param({"false", "true"})
  public boolean includeHeaders;

  private ConsumerRecord<byte[], byte[]>[] records;
  private KafkaRecordToRow toRow;
  private UnsafeProjection projection;
  private int next;

  @Setup
  @SuppressWarnings("unchecked")
  public void setUp() {
    Random random = new Random(7);
    records = new ConsumerRecord[1024];
    for (int i = 0; i < records.length; i++) {
      byte[] value = new byte[valueBytes];
      random.nextBytes(value);
      RecordHeaders headers = new RecordHeaders();
      if (i % 4 == 0) {
        headers.add("trace", new byte[] {1, 2, 3, 4});
      }
      records[i] = new ConsumerRecord<>("events", 3, 1_000_000L + i, 1_700_000_000_000L + i,
          TimestampType.CREATE_TIME, -1, valueBytes, null, value, headers, Optional.empty());
    }
    toRow = new KafkaRecordToRow("events", 3, includeHeaders);
    projection = UnsafeProjection.create(KafkaRecordSchema.of(includeHeaders));
  }

  @Benchmark
  public InternalRow convert() {
    return toRow.convert(records[next++ & 1023]);
  }

  @Benchmark
  public UnsafeRow convertAndProject() {
    return projection.apply(toRow.convert(records[next++ & 1023]));
  }
}
