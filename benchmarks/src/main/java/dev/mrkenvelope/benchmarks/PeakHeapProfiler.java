package dev.mrkenvelope.benchmarks;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports the heap of each iteration as secondary results (MiB, maximum over iterations):
 *
 * <ul>
 *   <li>{@code ·peak-heap}: the sum of the peak usage of every heap memory pool ({@link
 *       MemoryPoolMXBean#getPeakUsage()}), reset before each iteration. It counts garbage not yet
 *       collected, so it mostly shows how far the collector let the young generation fill; an upper
 *       bound of the true peak, bounded by {@code -Xmx};
 *   <li>{@code ·peak-live-heap}: the largest heap in use right after a collection (from the
 *       collectors' notifications) — what the code really kept alive;
 *   <li>{@code ·max-heap}: {@code Runtime.maxMemory()}, to show the {@code -Xmx} in force.
 * </ul>
 *
 * <p>Use: {@code java -jar benchmarks.jar StreamingBenchmark -prof
 * dev.mrkenvelope.benchmarks.PeakHeapProfiler}.
 */
public final class PeakHeapProfiler implements InternalProfiler {
  private static final AtomicLong PEAK_LIVE = new AtomicLong();

  static {
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter) {
        ((NotificationEmitter) gc)
            .addNotificationListener(
                (notification, handback) -> {
                  if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(
                      notification.getType())) {
                    return;
                  }
                  GarbageCollectionNotificationInfo info =
                      GarbageCollectionNotificationInfo.from(
                          (CompositeData) notification.getUserData());
                  long used = 0;
                  for (Map.Entry<String, MemoryUsage> e :
                      info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                    if (isHeapPool(e.getKey())) {
                      used += e.getValue().getUsed();
                    }
                  }
                  PEAK_LIVE.accumulateAndGet(used, Math::max);
                },
                null,
                null);
      }
    }
  }

  @Override
  public String getDescription() {
    return "peak heap and peak live heap after GC, MiB";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    resetPeaks();
  }

  @Override
  public List<? extends Result<?>> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    return List.of(
        new ScalarResult("·peak-heap", peakHeapMiB(), "MiB", AggregationPolicy.MAX),
        new ScalarResult("·peak-live-heap", peakLiveHeapMiB(), "MiB", AggregationPolicy.MAX),
        new ScalarResult("·max-heap", maxHeapMiB(), "MiB", AggregationPolicy.MAX));
  }

  static void resetPeaks() {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        pool.resetPeakUsage();
      }
    }
    PEAK_LIVE.set(0);
  }

  static double peakHeapMiB() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum / (1024.0 * 1024.0);
  }

  /** Largest heap in use after a collection since the last reset; 0 if none ran. */
  static double peakLiveHeapMiB() {
    return PEAK_LIVE.get() / (1024.0 * 1024.0);
  }

  static double maxHeapMiB() {
    return Runtime.getRuntime().maxMemory() / (1024.0 * 1024.0);
  }

  private static boolean isHeapPool(String name) {
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getName().equals(name)) {
        return pool.getType() == MemoryType.HEAP;
      }
    }
    return false;
  }
}
