package dev.mrkenvelope;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * The {@code mrkenvelope.messages} timer {operation, outcome} of one client, recorded by the byte[]
 * API and by both streams (a stream's time runs from its creation to its end: close of an
 * encrypting stream, end of message, failure or close of a decrypting one). Only built when a
 * registry is configured: without one, the client holds {@code null} and pays nothing.
 */
final class ClientMetrics {
  static final String ENCRYPT = "encrypt";
  static final String DECRYPT = "decrypt";

  /** A decrypting stream closed before its message ended or failed. */
  static final String INCOMPLETE = "incomplete";

  private final MeterRegistry registry;
  private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

  ClientMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The outcome tag of a failure. */
  static String outcome(Throwable e) {
    // NoDecryptableKeyException extends DecryptionFailedException: test the subclass first.
    if (e instanceof NoDecryptableKeyException) {
      return "no_decryptable_key";
    }
    if (e instanceof DecryptionFailedException) {
      return "decryption_failed";
    }
    if (e instanceof PolicyException) {
      return "policy";
    }
    return "error";
  }

  void success(String operation, long startNanos) {
    record(operation, "success", startNanos);
  }

  void failure(String operation, Throwable e, long startNanos) {
    record(operation, outcome(e), startNanos);
  }

  void record(String operation, String outcome, long startNanos) {
    timers
        .computeIfAbsent(
            operation + '/' + outcome,
            k ->
                Timer.builder("mrkenvelope.messages")
                    .description("Messages encrypted or decrypted, by outcome")
                    .tag("operation", operation)
                    .tag("outcome", outcome)
                    .register(registry))
        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }
}
