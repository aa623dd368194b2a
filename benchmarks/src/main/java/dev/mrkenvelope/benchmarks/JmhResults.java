package dev.mrkenvelope.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The results of one JMH run, read from its JSON files, and the lookups the report makes. */
final class JmhResults {
  private static final String PKG = "dev.mrkenvelope.benchmarks.";
  private static final double MB = 1_000_000.0;

  private final List<JsonNode> results;

  private JmhResults(List<JsonNode> results) {
    this.results = List.copyOf(results);
  }

  /** Reads and merges JMH JSON result files (each a JSON array of benchmark results). */
  static JmhResults read(List<String> files) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> all = new ArrayList<>();
    for (String f : files) {
      for (JsonNode n : json.readTree(Path.of(f).toFile())) {
        all.add(n);
      }
    }
    return new JmhResults(all);
  }

  /** The first result, whose JDK and VM fields describe the whole run; empty if none. */
  Optional<JsonNode> any() {
    return results.stream().findFirst();
  }

  Optional<JsonNode> find(String benchmark, String... params) {
    for (JsonNode n : results) {
      if (!n.path("benchmark").asText().equals(PKG + benchmark)) {
        continue;
      }
      boolean ok = true;
      for (int i = 0; i < params.length; i += 2) {
        ok &= n.path("params").path(params[i]).asText().equals(params[i + 1]);
      }
      if (ok) {
        return Optional.of(n);
      }
    }
    return Optional.empty();
  }

  /** The primary score (ops/s, ms/op or s/op, as the benchmark reports it); NaN if not run. */
  double score(String benchmark, String... params) {
    return find(benchmark, params)
        .map(n -> n.path("primaryMetric").path("score").asDouble())
        .orElse(Double.NaN);
  }

  double error(String benchmark, String... params) {
    return find(benchmark, params)
        .map(n -> n.path("primaryMetric").path("scoreError").asDouble())
        .orElse(Double.NaN);
  }

  /** A percentile of a SampleTime benchmark, e.g. "99.0"; NaN if not run. */
  double percentile(String benchmark, String p) {
    return find(benchmark)
        .map(n -> n.path("primaryMetric").path("scorePercentiles").path(p).asDouble(Double.NaN))
        .orElse(Double.NaN);
  }

  long samples(String benchmark) {
    return find(benchmark)
        .map(
            n -> {
              long count = 0;
              for (JsonNode fork : n.path("primaryMetric").path("rawDataHistogram")) {
                for (JsonNode iteration : fork) {
                  for (JsonNode bucket : iteration) {
                    count += bucket.get(1).asLong();
                  }
                }
              }
              return count;
            })
        .orElse(0L);
  }

  double secondary(String benchmark, String metric, String... params) {
    return find(benchmark, params)
        .map(n -> n.path("secondaryMetrics").path(metric).path("score").asDouble(Double.NaN))
        .orElse(Double.NaN);
  }

  /** CPU microseconds per operation (all JVM threads), from {@link CpuTimeProfiler}. */
  double cpu(String benchmark, String... params) {
    return secondary(benchmark, "·cpu-us/op", params);
  }

  /** Bytes allocated per operation, from JMH's GC profiler. */
  double allocated(String benchmark, String... params) {
    double v = secondary(benchmark, "gc.alloc.rate.norm", params);
    return Double.isNaN(v) ? secondary(benchmark, "·gc.alloc.rate.norm", params) : v;
  }

  /** a ÷ b by throughput is b's CPU time ÷ a's: the load-robust version of a ratio. */
  double cpuRatio(String a, String[] pa, String b, String[] pb) {
    return cpu(b, pb) / cpu(a, pa);
  }

  /**
   * {@link PairedRatioBenchmark}'s ratio of mrk-envelope's throughput to a floor's, one per
   * measurement iteration: the floor's nanoseconds over mrk-envelope's in that iteration ({@code
   * floor} is {@code "floorNanos"} or {@code "floorWithWrapNanos"}); empty if not run.
   */
  List<Double> pairedRatios(String floor, String... params) {
    return counterRatios("PairedRatioBenchmark.rotation", floor, "mrkNanos", params);
  }

  /**
   * For a benchmark that times contenders in turns into {@code @AuxCounters} fields: counter {@code
   * over} ÷ counter {@code under}, one per measurement iteration, sorted; empty if not run.
   */
  List<Double> counterRatios(String benchmark, String over, String under, String... params) {
    List<Double> ratios = new ArrayList<>();
    find(benchmark, params)
        .ifPresent(
            n -> {
              JsonNode u = n.path("secondaryMetrics").path(under).path("rawData");
              JsonNode o = n.path("secondaryMetrics").path(over).path("rawData");
              for (int fork = 0; fork < u.size(); fork++) {
                for (int i = 0; i < u.get(fork).size(); i++) {
                  double below = u.get(fork).get(i).asDouble();
                  double above = o.path(fork).path(i).asDouble(Double.NaN);
                  if (below > 0 && above > 0) {
                    ratios.add(above / below);
                  }
                }
              }
            });
    ratios.sort(null);
    return ratios;
  }

  /** The median of {@link #pairedRatios}; NaN if not run. */
  double pairedRatio(String floor, String... params) {
    return median(pairedRatios(floor, params));
  }

  /** The median of a sorted list; NaN if it is empty. */
  static double median(List<Double> sorted) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int mid = sorted.size() / 2;
    return sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2;
  }

  // ---- rendering ---------------------------------------------------------------------------

  double mbps(String benchmark, String[] params, int size) {
    return score(benchmark, params) * size / MB;
  }

  int streamMiB() {
    return find("StreamingBenchmark.decryptStream1GiB")
        .map(n -> n.path("params").path("streamMiB").asInt(1024))
        .orElse(1024);
  }
}
