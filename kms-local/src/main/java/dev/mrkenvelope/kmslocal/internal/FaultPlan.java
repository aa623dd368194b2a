package dev.mrkenvelope.kmslocal.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The faults configured for one Region: a Region-wide {@link Settings} plus optional per-operation
 * overrides. For each kind of fault (blackhole, latency, throttling, error) the operation's own
 * setting wins when it has one; otherwise the Region's applies.
 *
 * <p>Thread-safe: settings are immutable values swapped atomically; the request path reads them
 * without locking and, when no fault is set, without allocating.
 */
public final class FaultPlan {
  /** One immutable set of faults; fields that are "unset" defer to the Region level. */
  public static final class Settings {
    static final Settings NONE = new Settings(null, -1, 0, -1, null, 0, -1);

    final Boolean blackhole;
    final long latencyMillis;
    final long jitterMillis;
    final double throttle;
    final String errorCode;
    final int errorStatus;
    final double errorProbability;

    private Settings(
        Boolean blackhole,
        long latencyMillis,
        long jitterMillis,
        double throttle,
        String errorCode,
        int errorStatus,
        double errorProbability) {
      this.blackhole = blackhole;
      this.latencyMillis = latencyMillis;
      this.jitterMillis = jitterMillis;
      this.throttle = throttle;
      this.errorCode = errorCode;
      this.errorStatus = errorStatus;
      this.errorProbability = errorProbability;
    }

    Settings withBlackhole() {
      return new Settings(
          true, latencyMillis, jitterMillis, throttle, errorCode, errorStatus, errorProbability);
    }

    Settings withLatency(long fixed, long jitter) {
      return new Settings(
          blackhole, fixed, jitter, throttle, errorCode, errorStatus, errorProbability);
    }

    Settings withThrottle(double p) {
      return new Settings(
          blackhole, latencyMillis, jitterMillis, p, errorCode, errorStatus, errorProbability);
    }

    Settings withError(String code, int status, double p) {
      return new Settings(blackhole, latencyMillis, jitterMillis, throttle, code, status, p);
    }

    Settings over(Settings region) {
      return new Settings(
          blackhole != null ? blackhole : region.blackhole,
          latencyMillis >= 0 ? latencyMillis : region.latencyMillis,
          latencyMillis >= 0 ? jitterMillis : region.jitterMillis,
          throttle >= 0 ? throttle : region.throttle,
          errorCode != null ? errorCode : region.errorCode,
          errorCode != null ? errorStatus : region.errorStatus,
          errorCode != null ? errorProbability : region.errorProbability);
    }

    public boolean blackhole() {
      return Boolean.TRUE.equals(blackhole);
    }

    /** This request's delay: the fixed latency plus a uniform draw from [0, jitter]. */
    public long delayMillis() {
      if (latencyMillis <= 0 && jitterMillis <= 0) {
        return 0;
      }
      long j = jitterMillis > 0 ? ThreadLocalRandom.current().nextLong(jitterMillis + 1) : 0;
      return Math.max(0, latencyMillis) + j;
    }

    /** The injected error for this request, if the dice say so; throttling is drawn first. */
    public KmsError drawError() {
      if (throttle > 0 && ThreadLocalRandom.current().nextDouble() < throttle) {
        return KmsError.of(
            "ThrottlingException",
            "You have exceeded the rate at which you may call KMS. Reduce the frequency of your calls.");
      }
      if (errorCode != null
          && errorProbability > 0
          && ThreadLocalRandom.current().nextDouble() < errorProbability) {
        return KmsError.of(errorCode, errorStatus, "Injected by kms-local: " + errorCode);
      }
      return null;
    }
  }

  private volatile Settings region = Settings.NONE;
  private final Map<String, Settings> operations = new ConcurrentHashMap<>();

  /** The effective settings for one request to {@code operation} (null when unknown). */
  public Settings effective(String operation) {
    Settings r = region;
    if (operations.isEmpty() || operation == null) {
      return r;
    }
    Settings op = operations.get(operation);
    return op == null ? r : op.over(r);
  }

  private interface Change {
    Settings apply(Settings s);
  }

  private synchronized void change(String operation, Change c) {
    if (operation == null) {
      region = c.apply(region);
    } else {
      operations.put(operation, c.apply(operations.getOrDefault(operation, Settings.NONE)));
    }
  }

  public void blackhole(String operation) {
    change(operation, Settings::withBlackhole);
  }

  public void latency(String operation, long fixedMillis, long jitterMillis) {
    change(operation, s -> s.withLatency(fixedMillis, jitterMillis));
  }

  public void throttle(String operation, double p) {
    change(operation, s -> s.withThrottle(p));
  }

  public void error(String operation, String code, int status, double p) {
    change(operation, s -> s.withError(code, status, p));
  }

  /** Clears the faults of one operation, or of the whole Region (all operations) when null. */
  public synchronized void heal(String operation) {
    if (operation == null) {
      region = Settings.NONE;
      operations.clear();
    } else {
      operations.remove(operation);
    }
  }
}
