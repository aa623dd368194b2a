package dev.mrkenvelope.kmslocal;

import dev.mrkenvelope.kmslocal.internal.KmsError;
import dev.mrkenvelope.kmslocal.internal.RegionServer;
import java.time.Duration;
import java.util.Objects;

/**
 * Fault injection for one Region of a {@link LocalKms}, or for one operation in it.
 *
 * <pre>{@code
 * kms.faults("us-east-1").outage();                                  // connection refused
 * kms.faults("us-east-1").heal();                                    // same port again
 * kms.faults("eu-west-1").latency(Duration.ofMillis(80), Duration.ofMillis(20));
 * kms.faults("eu-west-1").operation("Decrypt").throttle(1.0);        // only Decrypt is throttled
 * kms.faults("eu-west-1").error("KMSInternalException", 0.5);        // HTTP 500, half the time
 * }</pre>
 *
 * <p>Semantics:
 *
 * <ul>
 *   <li>{@link #outage()} closes the Region's listening socket and its open connections, so clients
 *       get "connection refused"; Region-wide only. {@link #heal()} rebinds the same port.
 *   <li>{@link #blackhole()} accepts connections and reads requests but never answers; the held
 *       requests use no thread and are dropped (connection closed) on heal or close, or released as
 *       soon as their client closes the connection (no socket is left in CLOSE_WAIT).
 *   <li>{@link #latency(Duration, Duration)} delays each answer by the fixed time plus a uniform
 *       draw from [0, jitter], without holding a thread while waiting.
 *   <li>{@link #throttle(double)} answers {@code 400 ThrottlingException} with that probability;
 *       {@link #error(String, double)} answers the given KMS error code with its real status (500
 *       for {@code KMSInternalException}/{@code KeyUnavailableException}, 503 for {@code
 *       DependencyTimeoutException}, 400 otherwise). Throttling is drawn first.
 *   <li>Faults of different kinds combine (e.g. latency and then an error). Setting a kind again
 *       replaces it. An operation's own setting of a kind overrides the Region's for that operation
 *       only.
 * </ul>
 *
 * Every request that reaches the server counts in {@link LocalKms#requestCount}, faulted or not;
 * requests refused by an outage never arrive and do not count.
 *
 * <p>Thread-safe; changes apply to requests that arrive after the call returns. Instances are cheap
 * views: get them again whenever convenient.
 */
public final class Faults {
  private final RegionServer server;
  private final String region;
  private final String operation;

  Faults(RegionServer server, String region, String operation) {
    this.server = server;
    this.region = region;
    this.operation = operation;
  }

  /**
   * The faults of one operation in this Region, e.g. {@code "Decrypt"}.
   *
   * @throws IllegalArgumentException if kms-local does not implement that operation
   * @throws IllegalStateException if this view is already scoped to an operation
   */
  public Faults operation(String operation) {
    Objects.requireNonNull(operation, "operation");
    if (this.operation != null) {
      throw new IllegalStateException(
          "faults are already scoped to "
              + this.operation
              + "; call kms.faults(region).operation(...)");
    }
    if (!server.supports(operation)) {
      throw new IllegalArgumentException(
          "unknown KMS operation: " + operation + "; use one of " + server.operations());
    }
    return new Faults(server, region, operation);
  }

  /**
   * Refuses connections: the Region's port is closed until {@link #heal()}.
   *
   * @throws IllegalStateException on an operation-scoped view (a closed port cannot tell operations
   *     apart); use {@code blackhole()} or {@code error(...)} per operation instead
   */
  public Faults outage() {
    if (operation != null) {
      throw new IllegalStateException(
          "outage() closes the whole Region's port; call kms.faults(\""
              + region
              + "\").outage(), or use blackhole()/error(...) for "
              + operation
              + " alone");
    }
    server.outage();
    return this;
  }

  /**
   * Accepts requests and never answers them, until {@link #heal()}, close, or the client closing
   * the connection (which releases that request at once).
   */
  public Faults blackhole() {
    server.faults().blackhole(operation);
    return this;
  }

  /** Delays every answer by {@code fixed}. */
  public Faults latency(Duration fixed) {
    return latency(fixed, Duration.ZERO);
  }

  /** Delays every answer by {@code fixed} plus a uniformly random part of up to {@code jitter}. */
  public Faults latency(Duration fixed, Duration jitter) {
    Objects.requireNonNull(fixed, "fixed");
    Objects.requireNonNull(jitter, "jitter");
    if (fixed.isNegative() || jitter.isNegative()) {
      throw new IllegalArgumentException(
          "latency must not be negative: fixed=" + fixed + ", jitter=" + jitter);
    }
    server.faults().latency(operation, fixed.toMillis(), jitter.toMillis());
    return this;
  }

  /** Answers {@code 400 ThrottlingException} with probability {@code p} (0 to 1). */
  public Faults throttle(double probability) {
    server.faults().throttle(operation, checkProbability(probability));
    return this;
  }

  /**
   * Answers the KMS error {@code code} (e.g. {@code "KMSInternalException"}) with probability
   * {@code p}, with the HTTP status real KMS uses for that code.
   */
  public Faults error(String code, double probability) {
    Objects.requireNonNull(code, "code");
    return error(code, KmsError.statusFor(code), probability);
  }

  /** Like {@link #error(String, double)} with an explicit HTTP status, e.g. 502 or 504. */
  public Faults error(String code, int httpStatus, double probability) {
    Objects.requireNonNull(code, "code");
    if (code.isEmpty() || !code.chars().allMatch(Character::isLetterOrDigit)) {
      throw new IllegalArgumentException(
          "error code must be a KMS error name such as KMSInternalException: '" + code + "'");
    }
    if (httpStatus < 400 || httpStatus > 599) {
      throw new IllegalArgumentException(
          "httpStatus must be an error status 400-599: " + httpStatus);
    }
    server.faults().error(operation, code, httpStatus, checkProbability(probability));
    return this;
  }

  /**
   * Removes faults: on a Region view every fault of the Region and of all its operations (the port
   * is rebound after an outage); on an operation view only that operation's own faults. Blackholed
   * requests that are no longer blackholed are dropped.
   */
  public Faults heal() {
    if (operation == null) {
      server.heal();
    } else {
      server.heal(operation);
    }
    return this;
  }

  private static double checkProbability(double p) {
    if (!(p >= 0.0 && p <= 1.0)) {
      throw new IllegalArgumentException("probability must be between 0 and 1: " + p);
    }
    return p;
  }

  @Override
  public String toString() {
    return "Faults[" + region + (operation == null ? "" : "/" + operation) + "]";
  }
}
