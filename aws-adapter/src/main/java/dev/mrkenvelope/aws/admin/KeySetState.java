package dev.mrkenvelope.aws.admin;

import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.services.kms.model.GetKeyRotationStatusResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * A key set as KMS shows it, read in each of the spec's Regions: where the alias points, the key's
 * metadata, policy and tags, and the primary's rotation status. Read once per plan or audit; {@link
 * Auditor} compares it with the spec. About {@code 3N + 1} calls for N Regions (plus N for tags
 * when the spec has tags, and N more where the alias is missing or points elsewhere).
 */
final class KeySetState {

  /** One Region's view. All fields null when the Region could not be read ({@link #error}). */
  static final class RegionView {
    final String region;
    String error;
    String aliasTarget;
    KeyMetadata key;
    String policy;
    Map<String, String> tags;

    RegionView(String region) {
      this.region = region;
    }
  }

  final Map<String, RegionView> regions = new LinkedHashMap<>();

  /** The key set's key ID, or null when no Region has the alias. */
  String keyId;

  /** The Region the primary is in, per KMS (null when no key was found). */
  String actualPrimary;

  GetKeyRotationStatusResponse rotation;
  String rotationError;

  static KeySetState read(Kms kms, KeySetSpec spec) {
    KeySetState s = new KeySetState();
    Map<String, KeyMetadata> byAlias = new LinkedHashMap<>();
    for (String r : spec.regions()) {
      RegionView v = new RegionView(r);
      s.regions.put(r, v);
      try {
        KeyMetadata md =
            kms.in(r)
                .describeKey(b -> b.keyId(spec.alias()).overrideConfiguration(kms.override))
                .keyMetadata();
        v.aliasTarget = md.keyId();
        byAlias.put(r, md);
      } catch (RuntimeException e) {
        if (!KmsErrors.notFound(e)) {
          v.error = KmsErrors.describe(e);
        }
      }
    }
    // The primary Region's alias decides; if it is gone there, the first Region that has it.
    RegionView primaryView = s.regions.get(spec.primaryRegion());
    s.keyId = primaryView.aliasTarget;
    if (s.keyId == null) {
      s.keyId = byAlias.values().stream().map(KeyMetadata::keyId).findFirst().orElse(null);
    }
    if (s.keyId == null) {
      return s;
    }
    for (RegionView v : s.regions.values()) {
      if (v.error != null) {
        continue;
      }
      try {
        readKey(kms, spec, s.keyId, v, byAlias.get(v.region));
      } catch (RuntimeException e) {
        v.error = KmsErrors.describe(e);
      }
    }
    s.actualPrimary = primaryRegion(s, spec);
    if (!spec.signing() && s.actualPrimary != null && kms.has(s.actualPrimary)) {
      try {
        String id = s.keyId;
        s.rotation =
            kms.in(s.actualPrimary)
                .getKeyRotationStatus(b -> b.keyId(id).overrideConfiguration(kms.override));
      } catch (RuntimeException e) {
        s.rotationError = KmsErrors.describe(e);
      }
    }
    return s;
  }

  private static void readKey(
      Kms kms, KeySetSpec spec, String keyId, RegionView v, KeyMetadata viaAlias) {
    if (viaAlias != null && viaAlias.keyId().equals(keyId)) {
      v.key = viaAlias;
    } else {
      try {
        v.key =
            kms.in(v.region)
                .describeKey(b -> b.keyId(keyId).overrideConfiguration(kms.override))
                .keyMetadata();
      } catch (RuntimeException e) {
        if (KmsErrors.notFound(e)) {
          return; // no replica here
        }
        throw e;
      }
    }
    v.policy =
        kms.in(v.region)
            .getKeyPolicy(
                b -> b.keyId(keyId).policyName("default").overrideConfiguration(kms.override))
            .policy();
    if (!spec.tags().isEmpty()) {
      Map<String, String> tags = new LinkedHashMap<>();
      kms.in(v.region)
          .listResourceTagsPaginator(b -> b.keyId(keyId).overrideConfiguration(kms.override))
          .tags()
          .forEach((Tag t) -> tags.put(t.tagKey(), t.tagValue()));
      v.tags = tags;
    }
  }

  /** The primary's Region as the keys report it, preferring what the spec's primary Region says. */
  private static String primaryRegion(KeySetState s, KeySetSpec spec) {
    RegionView p = s.regions.get(spec.primaryRegion());
    if (p.key != null && p.key.multiRegionConfiguration() != null) {
      return p.key.multiRegionConfiguration().primaryKey().region();
    }
    for (RegionView v : s.regions.values()) {
      if (v.key != null && v.key.multiRegionConfiguration() != null) {
        return v.key.multiRegionConfiguration().primaryKey().region();
      }
    }
    return null;
  }

  /** The metadata of the primary key, if it is in a Region that was read. */
  KeyMetadata primaryKey() {
    RegionView v = actualPrimary == null ? null : regions.get(actualPrimary);
    return v == null ? null : v.key;
  }
}
