package io.zdl.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Peak heap in use during a run, sampled every 10 ms (the JVM's own pool peaks add up pools' peaks of
 * different moments); garbage counts too, so it depends on when the collector runs. On request also
 * the live heap: what is in use right after a full collection, which is what "bounded" is about.
 */
final class HeapSampler implements Runnable {
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long peak;
  private long peakLive;

  private HeapSampler() {
    thread = new Thread(this, "bench-heap-sampler");
    thread.setDaemon(true);
  }

  static HeapSampler start() {
    HeapSampler s = new HeapSampler();
    s.peak = s.memory.getHeapMemoryUsage().getUsed();
    s.thread.start();
    return s;
  }

  @Override
  public void run() {
    while (running) {
      peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  long peak() {
    return Math.max(peak, memory.getHeapMemoryUsage().getUsed());
  }

  /** A full collection now (it stops the run for its length), then the heap still in use. */
  synchronized void sampleLive() {
    System.gc();
    peakLive = Math.max(peakLive, memory.getHeapMemoryUsage().getUsed());
  }

  /** 0 if {@link #sampleLive()} was never called. */
  synchronized long peakLive() {
    return peakLive;
  }

  void stop() {
    running = false;
    thread.interrupt();
  }
}
