package dev.mrkenvelope.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.NoDecryptableKeyException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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

  static LocalKmsFixture fx;

  @BeforeAll
  static void start() {
    fx = new LocalKmsFixture(A, B);
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @AfterEach
  void heal() {
    fx.healAll();
  }

  /** What a decrypt came to: the plaintext, or the router's exception. */
  static final class Result {
    byte[] plaintext;
    KmsCallException error;
  }

  Result decrypt(String keyId, byte[] ciphertext, Consumer<KmsRouter.Builder> settings) {
    KmsRouter router = fx.router(List.of(A, B), settings);
    EnvelopeClient c =
        EnvelopeClient.builder()
            .keyring(AwsKmsMrkKeyring.builder().keyArn(fx.arn(A, keyId)).router(router).build())
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
            AwsKmsMrkKeyring.builder().keyArn(fx.arn(A, keyId)).router(fx.router(A, B)).build())
        .build()
        .encrypt(PLAINTEXT, EC)
        .ciphertext();
  }

  void denyDecryptIn(String region, String keyId) {
    fx.admin(region)
        .putKeyPolicy(b -> b.keyId(keyId).policy(LocalKmsFixture.denyPolicy("kms:Decrypt")));
  }

  @Test
  void preferredDeniesAfterDelay_hedgeSucceeds_denialIsHonouredEitherWay() {
    String keyId = fx.mrk(A, B);
    byte[] ciphertext = encrypt(keyId);
    denyDecryptIn(A, keyId);
    fx.kms.faults(A).latency(SLOW);

    fx.kms.resetRequestCounts();
    Result plain = decrypt(keyId, ciphertext, b -> {});
    assertThat(fx.kms.requestCount(B, "Decrypt")).isZero();

    fx.kms.resetRequestCounts();
    Result hedged = decrypt(keyId, ciphertext, b -> b.hedgeAfter(HEDGE_AFTER));
    assertThat(fx.kms.requestCount(B, "Decrypt")).isEqualTo(1); // the hedge did run

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
  void preferredSlowButHealthy_hedgeDenies_preferredStillWinsEitherWay() {
    String keyId = fx.mrk(A, B);
    byte[] ciphertext = encrypt(keyId);
    denyDecryptIn(B, keyId);
    fx.kms.faults(A).latency(SLOW);

    Result plain = decrypt(keyId, ciphertext, b -> {});
    fx.kms.resetRequestCounts();
    Result hedged = decrypt(keyId, ciphertext, b -> b.hedgeAfter(HEDGE_AFTER));
    assertThat(fx.kms.requestCount(B, "Decrypt")).isEqualTo(1); // the hedge was denied

    assertThat(plain.error).isNull();
    assertThat(hedged.error).isNull();
    assertThat(plain.plaintext).isEqualTo(PLAINTEXT);
    assertThat(hedged.plaintext).isEqualTo(PLAINTEXT);
  }

  @Test
  void preferredFailsOverSlowly_hedgedDenialDecides_sameAsWithoutHedging() {
    // A answers a server fault after a delay (fail over), B denies: without hedging the call goes
    // A -> B and fails fast on B's denial; with hedging B's denial waits for A's verdict.
    String keyId = fx.mrk(A, B);
    byte[] ciphertext = encrypt(keyId);
    denyDecryptIn(B, keyId);
    fx.kms.faults(A).latency(SLOW).error("KMSInternalException", 1.0);

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
    String keyId = fx.mrk(A, B);
    byte[] ciphertext = encrypt(keyId);
    fx.admin(A).disableKey(b -> b.keyId(keyId));

    fx.kms.resetRequestCounts();
    Result revoked = decrypt(keyId, ciphertext, b -> b.failOverOnKeyState(false));
    assertThat(fx.kms.requestCount(B)).isZero();
    assertThat(revoked.error).isInstanceOf(KmsRejectedException.class);
    assertThat(revoked.error.failedFast()).isTrue();
    assertThat(revoked.error.attempts().get(0).errorCode()).contains("DisabledException");
    assertThat(revoked.error.getMessage()).contains("revocation");

    Result routedAround = decrypt(keyId, ciphertext, b -> {});
    assertThat(routedAround.plaintext).isEqualTo(PLAINTEXT);
    assertThat(fx.kms.requestCount(B, "Decrypt")).isEqualTo(1);
  }

  @Test
  void revocationOptIn_onEncrypt_failsFastWithoutOtherRegion() {
    String keyId = fx.mrk(A, B);
    fx.admin(A).disableKey(b -> b.keyId(keyId));
    KmsRouter router = fx.router(List.of(A, B), b -> b.failOverOnKeyState(false));
    EnvelopeClient c =
        EnvelopeClient.builder()
            .keyring(AwsKmsMrkKeyring.builder().keyArn(fx.arn(A, keyId)).router(router).build())
            .build();
    fx.kms.resetRequestCounts();
    KmsRejectedException e =
        catchThrowableOfType(() -> c.encrypt(PLAINTEXT, EC), KmsRejectedException.class);
    assertThat(e.retryable()).isFalse();
    assertThat(fx.kms.requestCount(B)).isZero();
  }
}
