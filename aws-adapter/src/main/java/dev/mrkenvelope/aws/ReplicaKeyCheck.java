package dev.mrkenvelope.aws;

import dev.mrkenvelope.EnvelopeException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The check that a second allowed replica of a signing key has the same public key as the one an
 * {@link MrkSigner} cached. Done at build time; while no second Region can answer, repeated at most
 * once per retry interval. A mismatch disables the signer for good. Thread-safe.
 */
final class ReplicaKeyCheck {
  private final KmsRouter router;
  private final KmsRouter.KeyTarget target;
  private final SigningPublicKey fetched;
  private final List<String> grantTokens;
  private final long retryNanos;
  private final AtomicLong nextAttempt = new AtomicLong();
  private volatile boolean done;
  private volatile String matchedRegion;
  private volatile String broken;

  ReplicaKeyCheck(
      KmsRouter router,
      KmsRouter.KeyTarget target,
      SigningPublicKey fetched,
      List<String> grantTokens,
      long retryNanos) {
    this.router = router;
    this.target = target;
    this.fetched = fetched;
    this.grantTokens = grantTokens;
    this.retryNanos = retryNanos;
  }

  /**
   * Refuses use once a check found a mismatch.
   *
   * @throws IllegalStateException if an earlier check found that the replicas' keys differ
   */
  void checkUsable() {
    String b = broken;
    if (b != null) {
      throw new IllegalStateException(b);
    }
  }

  /** Runs the pending check if it is still pending and its retry interval has passed. */
  void retryIfDue() {
    if (done) {
      return;
    }
    long now = System.nanoTime();
    long due = nextAttempt.get();
    if (now - due >= 0 && nextAttempt.compareAndSet(due, now + retryNanos)) {
      run();
    }
  }

  /** The Region whose public key matched, or null while the check is pending. */
  String matchedRegion() {
    return matchedRegion;
  }

  /**
   * Compares the cached public key with a second allowed replica's. Only the Regions other than the
   * one that gave the public key are asked.
   *
   * @throws IllegalStateException if the two differ (and the signer refuses all later calls)
   */
  void run() {
    KmsRouter.KeyTarget others = SigningPublicKey.excluding(target, fetched.region);
    if (router.regions().stream().noneMatch(r -> others.arnIn(r) != null)) {
      done = true; // only one allowed Region can hold this key: nothing to compare
      return;
    }
    SigningPublicKey second;
    try {
      second = SigningPublicKey.fetch(router, others, null, grantTokens);
    } catch (EnvelopeException e) {
      // No other replica answered (an outage, or none exists yet): check again later.
      nextAttempt.set(System.nanoTime() + retryNanos);
      return;
    }
    if (!fetched.sameKeyAs(second)) {
      String message =
          "the public key of "
              + fetched.keyArn
              + " (from "
              + fetched.region
              + ", "
              + fetched.keySpec
              + ") differs from the public key of "
              + second.keyArn
              + " (from "
              + second.region
              + ", "
              + second.keySpec
              + "): replicas of one multi-Region key"
              + " share their key material, so these are not the same key. Check the key ARN and"
              + " that each Region's client endpoint is the real KMS of that Region; this signer"
              + " refuses to sign or verify";
      broken = message;
      throw new IllegalStateException(message);
    }
    matchedRegion = second.region;
    done = true;
  }
}
