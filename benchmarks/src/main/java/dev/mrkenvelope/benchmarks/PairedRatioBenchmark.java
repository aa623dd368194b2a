package dev.mrkenvelope.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The ratios the targets are judged on: mrk-envelope and the two floors of {@link
 * HotPathBenchmark}, timed in turns inside one fork, so that whatever else the machine is doing
 * slows all three alike.
 *
 * <p>Separate forks, as in {@link HotPathBenchmark}, measure each contender minutes apart; on a
 * shared machine a burst of outside load then lands on one side of a ratio and moves it by 20–40%
 * between runs. Here every invocation runs one round trip of each contender, in a rotating order,
 * and adds its wall time ({@link System#nanoTime}) to that contender's counter. JMH reports the
 * counters per iteration ({@link AuxCounters}); the report takes, per iteration, the floor's time
 * over mrk-envelope's (= mrk-envelope's throughput over the floor's, as both ran the same number of
 * operations) and judges the median over iterations. The primary score (rounds/s) is not used.
 *
 * <p>Run alone: {@code java -jar benchmarks/target/benchmarks.jar PairedRatioBenchmark -p size=1024
 * -p suite=0x0478 -p provider=JCA}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(1)
public class PairedRatioBenchmark {

  /** Nanoseconds spent per contender in this iteration; JMH reports each public field. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Clock {
    public long mrkNanos;
    public long floorNanos;
    public long floorWithWrapNanos;
    int turn;

    @Setup(Level.Iteration)
    public void reset() {
      mrkNanos = 0;
      floorNanos = 0;
      floorWithWrapNanos = 0;
    }
  }

  @Benchmark
  public void rotation(
      HotPathBenchmark.Input in,
      HotPathBenchmark.MrkEnvelope mrk,
      HotPathBenchmark.JcaFloor floor,
      Clock clock,
      Blackhole bh)
      throws Exception {
    // Rotate which contender goes first, so none always runs on the others' warm caches.
    int first = clock.turn;
    clock.turn = (first + 1) % 3;
    for (int i = 0; i < 3; i++) {
      int who = (first + i) % 3;
      long t0 = System.nanoTime();
      if (who == 0) {
        bh.consume(HotPathBenchmark.roundTrip(in, mrk));
        clock.mrkNanos += System.nanoTime() - t0;
      } else if (who == 1) {
        bh.consume(HotPathBenchmark.floorRoundTrip(in, floor));
        clock.floorNanos += System.nanoTime() - t0;
      } else {
        bh.consume(HotPathBenchmark.floorWithWrapRoundTrip(in, floor));
        clock.floorWithWrapNanos += System.nanoTime() - t0;
      }
    }
  }
}
