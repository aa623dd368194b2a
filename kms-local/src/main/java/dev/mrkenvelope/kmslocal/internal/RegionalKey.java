package dev.mrkenvelope.kmslocal.internal;

import java.time.Instant;
import java.util.Map;

/**
 * One key in one Region: the per-replica properties (state, policy, description, tags, deletion
 * schedule) over a shared {@link KeyFamily}.
 *
 * <p>Thread safety: fields are volatile so the data path reads them without locking; they are
 * written only while holding the store lock.
 */
final class RegionalKey {
  final KeyFamily family;
  final String region;
  final String arn;
  final Instant created;
  final long sequence;
  volatile String state;
  volatile String description;
  volatile KeyPolicy policy;
  volatile Map<String, String> tags;
  volatile Instant deletionDate;
  volatile int pendingWindowDays;

  RegionalKey(
      KeyFamily family,
      String region,
      String arn,
      long sequence,
      String description,
      KeyPolicy policy,
      Map<String, String> tags) {
    this.family = family;
    this.region = region;
    this.arn = arn;
    this.created = Instant.now();
    this.sequence = sequence;
    this.state = "Enabled";
    this.description = description;
    this.policy = policy;
    this.tags = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tags));
  }

  String keyId() {
    return family.keyId;
  }

  boolean isPrimary() {
    return family.primaryRegion.equals(region);
  }
}
