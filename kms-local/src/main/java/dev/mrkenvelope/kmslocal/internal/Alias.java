package dev.mrkenvelope.kmslocal.internal;

import java.time.Instant;

/** An alias in one Region: its name, target key id and dates. Immutable. */
final class Alias {
  final String name;
  final String targetKeyId;
  final Instant created;
  final Instant updated;

  Alias(String name, String targetKeyId, Instant created, Instant updated) {
    this.name = name;
    this.targetKeyId = targetKeyId;
    this.created = created;
    this.updated = updated;
  }
}
