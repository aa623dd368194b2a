package dev.mrkenvelope.aws.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The disaster-recovery readiness of a multi-Region key, from {@link MrkAdmin#drill}: per Region
 * the key state, policy check and a GenerateDataKey (or Sign), and the N×N matrix of data keys made
 * in one Region and decrypted in another (or signatures verified). Immutable and thread-safe.
 *
 * @param keyId the key ID drilled
 * @param regions the Regions drilled, in the order given
 * @param probes one per Region, in {@link #regions} order
 * @param cells the matrix, row by row ({@code from}), in {@link #regions} order
 * @param kmsCalls how many KMS requests the drill sent (at most {@code 3N + N²})
 * @param callTimeout the timeout of each call
 */
public record DrillReport(
    String keyId,
    List<String> regions,
    List<RegionProbe> probes,
    List<DrillCell> cells,
    int kmsCalls,
    Duration callTimeout) {

  /** Checks the fields and copies the lists. */
  public DrillReport {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(callTimeout, "callTimeout");
    regions = List.copyOf(regions);
    probes = List.copyOf(probes);
    cells = List.copyOf(cells);
  }

  /** True when every Region is ready and every cell passed: safe to serve from any of them. */
  public boolean ready() {
    return probes.stream().allMatch(RegionProbe::ready)
        && cells.stream().allMatch(DrillCell::passed);
  }

  /** The cell for a pair of Regions. */
  public DrillCell cell(String from, String to) {
    return cells.stream()
        .filter(c -> c.from().equals(from) && c.to().equals(to))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no cell " + from + " -> " + to + "; the drill covered " + regions));
  }

  /** The cells that failed. */
  public List<DrillCell> failures() {
    return cells.stream().filter(c -> !c.passed()).toList();
  }

  /**
   * The report as JSON: {@code {"keyId", "ready", "kmsCalls", "callTimeoutMillis", "regions":
   * [{"region", "keyState", "policy", "generated", "latencyMillis", "error", "fix"}], "matrix":
   * [{"from", "to", "passed", "latencyMillis", "error", "fix"}]}}.
   */
  public String toJson() {
    ObjectNode o = PolicyDocuments.MAPPER.createObjectNode();
    o.put("keyId", keyId);
    o.put("ready", ready());
    o.put("kmsCalls", kmsCalls);
    o.put("callTimeoutMillis", callTimeout.toMillis());
    ArrayNode rs = o.putArray("regions");
    for (RegionProbe p : probes) {
      rs.addObject()
          .put("region", p.region())
          .put("keyState", p.keyState())
          .put("policy", p.policy().name())
          .put("generated", p.generated())
          .put("latencyMillis", p.latency().toMillis())
          .put("error", p.error())
          .put("fix", p.fix());
    }
    ArrayNode m = o.putArray("matrix");
    for (DrillCell c : cells) {
      m.addObject()
          .put("from", c.from())
          .put("to", c.to())
          .put("passed", c.passed())
          .put("latencyMillis", c.latency().toMillis())
          .put("error", c.error())
          .put("fix", c.fix());
    }
    return PolicyDocuments.pretty(o);
  }

  /** The report as text: the Regions, the matrix (rows: from, columns: to), then each failure. */
  public String toTable() {
    String nl = System.lineSeparator();
    StringBuilder sb = new StringBuilder();
    sb.append("drill of ")
        .append(keyId)
        .append(": ")
        .append(ready() ? "READY" : "NOT READY")
        .append(" (")
        .append(kmsCalls)
        .append(" KMS calls, ")
        .append(callTimeout.toMillis())
        .append(" ms per call)")
        .append(nl);
    List<List<String>> rows = new ArrayList<>();
    for (RegionProbe p : probes) {
      rows.add(
          List.of(
              p.region(),
              p.keyState(),
              p.policy().name(),
              p.generated() ? "ok " + p.latency().toMillis() + " ms" : "FAILED",
              p.error()));
    }
    sb.append(Tables.render(List.of("REGION", "KEY STATE", "POLICY", "GENERATE", "ERROR"), rows));
    List<String> head = new ArrayList<>();
    head.add("FROM \\ TO");
    head.addAll(regions);
    List<List<String>> matrix = new ArrayList<>();
    for (String from : regions) {
      List<String> row = new ArrayList<>();
      row.add(from);
      for (String to : regions) {
        DrillCell c = cell(from, to);
        row.add(c.passed() ? "ok " + c.latency().toMillis() + " ms" : "FAIL");
      }
      matrix.add(row);
    }
    sb.append(nl).append(Tables.render(head, matrix));
    for (DrillCell c : failures()) {
      sb.append("FAIL ")
          .append(c.from())
          .append(" -> ")
          .append(c.to())
          .append(": ")
          .append(c.error())
          .append(nl)
          .append("     fix: ")
          .append(c.fix())
          .append(nl);
    }
    return sb.toString();
  }

  @Override
  public String toString() {
    return toTable();
  }
}
