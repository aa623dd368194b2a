package dev.mrkenvelope.examples;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a run of a scenario did, as a table a person can read and a test can check. */
public final class Summary {
  public final int messages;
  public final int failures;
  public final Map<String, Map<String, Long>> kmsRequests;
  public final long failovers;
  public final long hedges;
  public final double cacheHitRatio;
  public final double[] encryptMillis; // p50, p99
  public final double[] decryptMillis;
  public final double seconds;
  public final String lastError;

  private Summary(
      int messages,
      int failures,
      Map<String, Map<String, Long>> kmsRequests,
      long failovers,
      long hedges,
      double cacheHitRatio,
      double[] encryptMillis,
      double[] decryptMillis,
      double seconds,
      String lastError) {
    this.messages = messages;
    this.failures = failures;
    this.kmsRequests = kmsRequests;
    this.failovers = failovers;
    this.hedges = hedges;
    this.cacheHitRatio = cacheHitRatio;
    this.encryptMillis = encryptMillis;
    this.decryptMillis = decryptMillis;
    this.seconds = seconds;
    this.lastError = lastError;
  }

  static Summary of(DrFailover.Workload w, Lab lab, MeterRegistry registry, long elapsedNanos) {
    Map<String, Map<String, Long>> requests = new LinkedHashMap<>();
    for (String r : lab.kms.regions()) {
      requests.put(r, new LinkedHashMap<>(lab.kms.requestCounts(r)));
    }
    double hits = sum(registry, "mrkenvelope.cache.gets", "hit");
    double misses = sum(registry, "mrkenvelope.cache.gets", "miss");
    return new Summary(
        w.messages,
        w.failures.get(),
        requests,
        (long) sum(registry, "mrkenvelope.kms.failovers", null),
        (long) sum(registry, "mrkenvelope.kms.hedges", null),
        hits + misses == 0 ? 0 : hits / (hits + misses),
        percentiles(w.encryptNanos),
        percentiles(w.decryptNanos),
        elapsedNanos / 1e9,
        w.lastError);
  }

  private static double sum(MeterRegistry registry, String name, String result) {
    var search = registry.find(name);
    if (result != null) {
      search = search.tag("result", result);
    }
    return search.counters().stream().mapToDouble(Counter::count).sum();
  }

  private static double[] percentiles(long[] nanos) {
    long[] ok = Arrays.stream(nanos).filter(n -> n > 0).sorted().toArray();
    if (ok.length == 0) {
      return new double[] {0, 0};
    }
    return new double[] {
      ok[(int) Math.min(ok.length - 1, Math.round(0.50 * (ok.length - 1)))] / 1e6,
      ok[(int) Math.min(ok.length - 1, Math.round(0.99 * (ok.length - 1)))] / 1e6
    };
  }

  public long requests(String region) {
    return kmsRequests.getOrDefault(region, Map.of()).values().stream()
        .mapToLong(Long::longValue)
        .sum();
  }

  void print(PrintStream out) {
    String line =
        "+-----------------------------+---------------------------------------------------+";
    out.println();
    out.println(line);
    row(out, "messages", messages + " in " + String.format("%.1f s", seconds));
    row(out, "failures", Integer.toString(failures));
    kmsRequests.forEach(
        (region, ops) -> row(out, "KMS requests " + region, requests(region) + " " + ops));
    row(out, "failovers", Long.toString(failovers));
    row(out, "hedges", Long.toString(hedges));
    row(out, "cache hit ratio", String.format("%.1f %%", 100 * cacheHitRatio));
    row(
        out,
        "encrypt p50 / p99",
        String.format("%.2f ms / %.2f ms", encryptMillis[0], encryptMillis[1]));
    row(
        out,
        "decrypt p50 / p99",
        String.format("%.2f ms / %.2f ms", decryptMillis[0], decryptMillis[1]));
    out.println(line);
    if (failures == 0) {
      out.println(
          "Every message encrypted and decrypted while us-east-1 was down. Nothing was lost.");
    } else {
      out.println(failures + " messages failed; last error: " + lastError);
    }
  }

  private static void row(PrintStream out, String k, String v) {
    if (v.length() > 49) {
      v = v.substring(0, 48) + "…";
    }
    out.printf("| %-27s | %-49s |%n", k, v);
  }
}
