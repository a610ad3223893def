package io.zdl.spark.kafka.read;

import io.zdl.spark.loss.LostRecordsCounter;
import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;

/**
 * What executors read and skipped, summed on the driver through Spark accumulators (merged as each
 * task ends, so the driver has a batch's totals when the batch's job returns). The stream reports
 * them per batch in the query progress.
 */
public final class ReadCounters implements LostRecordsCounter {
  private final LongAccumulator records;
  private final LongAccumulator bytes;
  private final LongAccumulator lostRecords;
  private final LongAccumulator lostRanges;

  private ReadCounters(LongAccumulator records, LongAccumulator bytes, LongAccumulator lostRecords,
      LongAccumulator lostRanges) {
    this.records = records;
    this.bytes = bytes;
    this.lostRecords = lostRecords;
    this.lostRanges = lostRanges;
  }

  /** Registers the accumulators with the driver's context; call on the driver. */
  public static ReadCounters register(SparkContext sc, String label) {
    return new ReadCounters(sc.longAccumulator("zdl-kafka " + label + " records read"),
        sc.longAccumulator("zdl-kafka " + label + " bytes read"),
        sc.longAccumulator("zdl-kafka " + label + " records lost"),
        sc.longAccumulator("zdl-kafka " + label + " ranges lost"));
  }

  void addRead(long recordCount, long byteCount) {
    records.add(recordCount);
    bytes.add(byteCount);
  }

  @Override
  public void addLost(long recordCount) {
    lostRecords.add(recordCount);
    lostRanges.add(1);
  }

  /** Totals so far, as seen on the driver. */
  public Snapshot snapshot() {
    return new Snapshot(records.sum(), bytes.sum(), lostRecords.sum(), lostRanges.sum());
  }

  /** Totals at one moment; {@link #minus} gives what happened between two of them. */
  public static final class Snapshot {
    public static final Snapshot ZERO = new Snapshot(0, 0, 0, 0);
    public final long records;
    public final long bytes;
    public final long lostRecords;
    public final long lostRanges;

    Snapshot(long records, long bytes, long lostRecords, long lostRanges) {
      this.records = records;
      this.bytes = bytes;
      this.lostRecords = lostRecords;
      this.lostRanges = lostRanges;
    }

    public Snapshot minus(Snapshot earlier) {
      return new Snapshot(records - earlier.records, bytes - earlier.bytes, lostRecords - earlier.lostRecords,
          lostRanges - earlier.lostRanges);
    }
  }
}
