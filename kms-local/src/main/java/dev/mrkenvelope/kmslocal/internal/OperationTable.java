package dev.mrkenvelope.kmslocal.internal;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The one table of operations kms-local implements, by X-Amz-Target name. Dispatch and the list of
 * supported operations both come from it, so they cannot disagree.
 *
 * <p>Filled once while the service is built, then only read: safe to share after construction.
 */
final class OperationTable {
  private final Map<String, Operation> operations = new TreeMap<>();

  /** Registers {@code name}; a name registered twice is a programming error. */
  void add(String name, Operation operation) {
    if (operations.putIfAbsent(name, operation) != null) {
      throw new IllegalStateException("operation " + name + " is registered twice");
    }
  }

  /** The operation called {@code name}, or null when kms-local does not implement it. */
  Operation get(String name) {
    return operations.get(name);
  }

  /** Every registered name, sorted. */
  Set<String> names() {
    return Collections.unmodifiableSet(operations.keySet());
  }
}
