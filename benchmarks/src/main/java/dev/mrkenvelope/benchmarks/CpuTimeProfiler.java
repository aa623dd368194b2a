package dev.mrkenvelope.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports, per iteration, the CPU time the benchmark's JVM used per operation ({@code ·cpu-us/op},
 * microseconds: all its threads, so GC, JIT and — for the KMS benchmarks — the in-process kms-local
 * count too) and how many cores it got on average ({@code ·cpu-cores}, CPU time ÷ wall time).
 *
 * <p>On a machine shared with other work, throughput falls when the benchmark gets less CPU, but
 * CPU time per operation barely moves; so ratios of {@code ·cpu-us/op} are a load-robust check of
 * the throughput ratios, and {@code ·cpu-cores} well below 1 for a one-thread benchmark says the
 * machine was contended during that iteration.
 *
 * <p>Use: {@code -prof dev.mrkenvelope.benchmarks.CpuTimeProfiler}.
 */
public final class CpuTimeProfiler implements InternalProfiler {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private long cpuStart;
  private long wallStart;

  @Override
  public String getDescription() {
    return "process CPU time per operation and cores used";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    cpuStart = OS.getProcessCpuTime();
    wallStart = System.nanoTime();
  }

  @Override
  public List<? extends Result<?>> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpu = OS.getProcessCpuTime() - cpuStart;
    long wall = System.nanoTime() - wallStart;
    long ops = Math.max(1, result.getMetadata().getMeasuredOps());
    return List.of(
        new ScalarResult("·cpu-us/op", cpu / 1000.0 / ops, "us/op", AggregationPolicy.AVG),
        new ScalarResult("·cpu-cores", (double) cpu / wall, "cores", AggregationPolicy.AVG));
  }
}
