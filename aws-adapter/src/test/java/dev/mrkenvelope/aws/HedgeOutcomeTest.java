package dev.mrkenvelope.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.NoDecryptableKeyException;
import dev.mrkenvelope.testkit.LocalKmsExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Hedging changes latency, never the outcome: each case runs once without and once with hedging and
 * must end the same way, listing every Region that was called.
 */
class HedgeOutcomeTest {
  static final String A = "us-east-1";
  static final String B = "eu-west-1";
  static final byte[] PLAINTEXT = "hedge outcome".getBytes(StandardCharsets.UTF_8);
  static final Map<String, String> EC = Map.of("k", "v");
  static final Duration SLOW = Duration.ofMillis(300);
  static final Duration HEDGE_AFTER = Duration.ofMillis(30);

  @RegisterExtension
  static final LocalKmsExtension kms =
      LocalKmsExtension.builder().regions(A, B).replicaCreation(Duration.ZERO).build();

  /** What a decrypt came to: the plaintext, or the router's exception. */
  static final class Result {
    byte[] plaintext;
    KmsCallException error;
  }

  Result decrypt(String keyId, byte[] ciphertext, Consumer<KmsRouter.Builder> settings) {
    KmsRouter router = Routers.router(kms, List.of(A, B), settings);
    EnvelopeClient c =
        EnvelopeClient.builder()
            .keyring(
                AwsKmsMrkKeyring.builder()
                    .keyArn(kms.kms().keyArn(A, keyId))
                    .router(router)
                    .build())
            .build();
    Result r = new Result();
    try {
      r.plaintext = c.decrypt(ciphertext).plaintext();
    } catch (NoDecryptableKeyException e) {
      r.error = (KmsCallException) e.getCause();
    }
    return r;
  }

  byte[] encrypt(String keyId) {
    return EnvelopeClient.builder()
        .keyring(
            AwsKmsMrkKeyring.builder()
                .keyArn(kms.kms().keyArn(A, keyId))
                .router(Routers.router(kms, A, B))
                .build())
        .build()
        .encrypt(PLAINTEXT, EC)
        .ciphertext();
  }

  void denyDecryptIn(String region, String keyId) {
    kms.client(region)
        .putKeyPolicy(b -> b.keyId(keyId).policy(KeyPolicies.denyPolicy("kms:Decrypt")));
  }

  @Test
  void preferredDeniesAfterDelay_hedgeSucceeds_denialIsHonouredEitherWay() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    byte[] ciphertext = encrypt(keyId);
    denyDecryptIn(A, keyId);
    kms.kms().faults(A).latency(SLOW);

    kms.kms().resetRequestCounts();
    Result plain = decrypt(keyId, ciphertext, b -> {});
    assertThat(kms.kms().requestCount(B, "Decrypt")).isZero();

    kms.kms().resetRequestCounts();
    Result hedged = decrypt(keyId, ciphertext, b -> b.hedgeAfter(HEDGE_AFTER));
    assertThat(kms.kms().requestCount(B, "Decrypt")).isEqualTo(1); // the hedge did run

    for (Result r : List.of(plain, hedged)) {
      assertThat(r.plaintext).isNull();
      assertThat(r.error).isInstanceOf(KmsRejectedException.class);
      assertThat(r.error.failedFast()).isTrue();
      assertThat(r.error.attempts().get(0).outcome()).isEqualTo(AttemptOutcome.ACCESS_DENIED);
    }
    // Every Region called is in the error: the hedge that answered is listed as abandoned.
    assertThat(hedged.error.attempts())
        .extracting(RegionAttempt::region, RegionAttempt::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(A, AttemptOutcome.ACCESS_DENIED),
            org.assertj.core.groups.Tuple.tuple(B, AttemptOutcome.ABANDONED));
    assertThat(hedged.error.getMessage()).contains(A).contains(B);
  }

  @Test
  void noAnswerCanRefuse_hedgeSuccessEndsTheCall_withoutWaitingForTheHungPreferredRegion() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    byte[] ciphertext = encrypt(keyId);
    kms.kms().faults(A).blackhole();
    Duration attemptTimeout = Duration.ofMillis(1500);

    // Default: a denial from A would be honoured, so A's answer (here: its timeout) is awaited.
    long t0 = System.nanoTime();
    Result ordered =
        decrypt(keyId, ciphertext, b -> b.hedgeAfter(HEDGE_AFTER).attemptTimeout(attemptTimeout));
    Duration orderedTook = Duration.ofNanos(System.nanoTime() - t0);
    // failOverOnAccessDenied(true): no answer from A could end the call, so B's success does.
    t0 = System.nanoTime();
    Result early =
        decrypt(
            keyId,
            ciphertext,
            b ->
                b.hedgeAfter(HEDGE_AFTER)
                    .attemptTimeout(attemptTimeout)
                    .failOverOnAccessDenied(true));
    Duration earlyTook = Duration.ofNanos(System.nanoTime() - t0);

    assertThat(ordered.plaintext).isEqualTo(PLAINTEXT);
    assertThat(early.plaintext).isEqualTo(PLAINTEXT);
    assertThat(orderedTook).isGreaterThanOrEqualTo(attemptTimeout);
    assertThat(earlyTook).isLessThan(attemptTimeout.dividedBy(2));
  }

  @Test
  void preferredSlowButHealthy_hedgeDenies_preferredStillWinsEitherWay() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    byte[] ciphertext = encrypt(keyId);
    denyDecryptIn(B, keyId);
    kms.kms().faults(A).latency(SLOW);

    Result plain = decrypt(keyId, ciphertext, b -> {});
    kms.kms().resetRequestCounts();
    Result hedged = decrypt(keyId, ciphertext, b -> b.hedgeAfter(HEDGE_AFTER));
    assertThat(kms.kms().requestCount(B, "Decrypt")).isEqualTo(1); // the hedge was denied

    assertThat(plain.error).isNull();
    assertThat(hedged.error).isNull();
    assertThat(plain.plaintext).isEqualTo(PLAINTEXT);
    assertThat(hedged.plaintext).isEqualTo(PLAINTEXT);
  }

  @Test
  void preferredFailsOverSlowly_hedgedDenialDecides_sameAsWithoutHedging() {
    // A answers a server fault after a delay (fail over), B denies: without hedging the call goes
    // A -> B and fails fast on B's denial; with hedging B's denial waits for A's verdict.
    String keyId = kms.kms().createMultiRegionKey(A, B);
    byte[] ciphertext = encrypt(keyId);
    denyDecryptIn(B, keyId);
    kms.kms().faults(A).latency(SLOW).error("KMSInternalException", 1.0);

    Result plain = decrypt(keyId, ciphertext, b -> {});
    Result hedged = decrypt(keyId, ciphertext, b -> b.hedgeAfter(HEDGE_AFTER));
    for (Result r : List.of(plain, hedged)) {
      assertThat(r.error).isInstanceOf(KmsRejectedException.class);
      assertThat(r.error.attempts())
          .extracting(RegionAttempt::region, RegionAttempt::outcome)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(A, AttemptOutcome.SERVER_ERROR),
              org.assertj.core.groups.Tuple.tuple(B, AttemptOutcome.ACCESS_DENIED));
    }
  }

  @Test
  void disabledReplicaWithRevocationOptIn_failsFastThere_defaultFailsOver() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    byte[] ciphertext = encrypt(keyId);
    kms.client(A).disableKey(b -> b.keyId(keyId));

    kms.kms().resetRequestCounts();
    Result revoked = decrypt(keyId, ciphertext, b -> b.failOverOnKeyState(false));
    assertThat(kms.kms().requestCount(B)).isZero();
    assertThat(revoked.error).isInstanceOf(KmsRejectedException.class);
    assertThat(revoked.error.failedFast()).isTrue();
    assertThat(revoked.error.attempts().get(0).errorCode()).contains("DisabledException");
    assertThat(revoked.error.getMessage()).contains("revocation");

    Result routedAround = decrypt(keyId, ciphertext, b -> {});
    assertThat(routedAround.plaintext).isEqualTo(PLAINTEXT);
    assertThat(kms.kms().requestCount(B, "Decrypt")).isEqualTo(1);
  }

  @Test
  void revocationOptIn_onEncrypt_failsFastWithoutOtherRegion() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    kms.client(A).disableKey(b -> b.keyId(keyId));
    KmsRouter router = Routers.router(kms, List.of(A, B), b -> b.failOverOnKeyState(false));
    EnvelopeClient c =
        EnvelopeClient.builder()
            .keyring(
                AwsKmsMrkKeyring.builder()
                    .keyArn(kms.kms().keyArn(A, keyId))
                    .router(router)
                    .build())
            .build();
    kms.kms().resetRequestCounts();
    KmsRejectedException e =
        catchThrowableOfType(() -> c.encrypt(PLAINTEXT, EC), KmsRejectedException.class);
    assertThat(e.retryable()).isFalse();
    assertThat(kms.kms().requestCount(B)).isZero();
  }
}
