package dev.mrkenvelope.aws.admin;

import java.util.Objects;

/**
 * Where a key set's key policy comes from: a document given as JSON, or a {@link PolicyTemplate}
 * rendered for the spec's Regions and key usage. Exactly one of the two is set. Immutable and
 * thread-safe.
 *
 * @param document the policy document (JSON), or null when generated
 * @param template the template to generate the document from, or null when given
 */
public record KeyPolicySpec(String document, PolicyTemplate template) {

  /**
   * Checks that exactly one source is set and that a given document is a JSON policy object, and
   * pretty-prints the document.
   */
  public KeyPolicySpec {
    if ((document == null) == (template == null)) {
      throw new IllegalArgumentException(
          "a key policy needs exactly one of a document or a template; use"
              + " KeyPolicySpec.document(json) or KeyPolicySpec.generated(template)");
    }
    if (document != null) {
      // One layout for every document, so that specs compare equal after a JSON round trip.
      document = PolicyDocuments.pretty(PolicyDocuments.parseObject(document));
    }
  }

  /** A policy given as a JSON document, used as it is in every Region. */
  public static KeyPolicySpec document(String json) {
    return new KeyPolicySpec(Objects.requireNonNull(json, "json"), null);
  }

  /** A policy generated from a least-privilege template. */
  public static KeyPolicySpec generated(PolicyTemplate template) {
    return new KeyPolicySpec(null, Objects.requireNonNull(template, "template"));
  }

  /** The document for a spec: the given one, or the template rendered for it. */
  String documentFor(KeySetSpec spec) {
    return document != null ? document : template.render(spec);
  }
}
