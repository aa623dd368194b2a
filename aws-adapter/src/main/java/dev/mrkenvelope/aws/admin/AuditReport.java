package dev.mrkenvelope.aws.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link MrkAdmin#audit} found: every way the key set differs from its spec, most severe
 * first. Machine-readable as {@link #toJson()}, human-readable as {@link #toTable()}. Immutable and
 * thread-safe.
 *
 * @param alias the spec's alias
 * @param keyId the key set's key ID, or null when no Region has the alias
 * @param findings the findings, most severe first, then in the spec's Region order
 */
public record AuditReport(String alias, String keyId, List<Finding> findings) {

  /** Checks the fields and copies the findings. */
  public AuditReport {
    Objects.requireNonNull(alias, "alias");
    findings = List.copyOf(findings);
  }

  /** True when the key set matches its spec. */
  public boolean clean() {
    return findings.isEmpty();
  }

  /** The findings of one kind. */
  public List<Finding> findings(FindingKind kind) {
    return findings.stream().filter(f -> f.kind() == kind).toList();
  }

  /**
   * The report as JSON: {@code {"alias", "keyId", "clean", "findings": [{"kind", "severity",
   * "region", "expected", "actual", "fix", "repairedByApply", "repairs": ["KIND in region:
   * why"]}]}}.
   */
  public String toJson() {
    ObjectNode o = PolicyDocuments.MAPPER.createObjectNode();
    o.put("alias", alias);
    o.put("keyId", keyId);
    o.put("clean", clean());
    ArrayNode arr = o.putArray("findings");
    for (Finding f : findings) {
      ObjectNode n = arr.addObject();
      n.put("kind", f.kind().name());
      n.put("severity", f.severity().name());
      n.put("region", f.region());
      n.put("expected", f.expected());
      n.put("actual", f.actual());
      n.put("fix", f.fix());
      n.put("repairedByApply", !f.repairs().isEmpty());
      ArrayNode r = n.putArray("repairs");
      f.repairs().forEach(c -> r.add(c.toString()));
    }
    return PolicyDocuments.pretty(o);
  }

  /** The report as a text table, one finding per line. */
  public String toTable() {
    String head =
        "audit of "
            + alias
            + (keyId == null ? "" : " (" + keyId + ")")
            + ": "
            + (clean() ? "clean, matches the spec" : findings.size() + " finding(s)")
            + System.lineSeparator();
    if (clean()) {
      return head;
    }
    List<List<String>> rows = new ArrayList<>();
    for (Finding f : findings) {
      rows.add(
          List.of(
              f.severity().name(),
              f.kind().name(),
              f.region(),
              Tables.cut(f.expected(), 36),
              Tables.cut(f.actual(), 36),
              (f.repairs().isEmpty() ? "[human] " : "[apply] ") + f.fix()));
    }
    return head
        + Tables.render(List.of("SEVERITY", "KIND", "REGION", "EXPECTED", "ACTUAL", "FIX"), rows);
  }

  @Override
  public String toString() {
    return toTable();
  }
}
