package dev.mrkenvelope.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.DataKeyUnwrapException;
import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.NoDecryptableKeyException;
import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.keyring.MultiKeyring;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import dev.mrkenvelope.testkit.LocalKmsExtension;
import dev.mrkenvelope.testkit.SdkClients;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * The ESDK specification's MUSTs for the KMS keyrings, per-attempt errors a caller can act on,
 * escaped untrusted text, credentials and the client customizer, through the SDK on kms-local.
 */
class KeyringContractTest {
  static final String A = "us-east-1";
  static final String B = "eu-west-1";
  static final AlgorithmSuite SUITE = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
  static final Map<String, String> EC = Map.of("purpose", "contract");
  static final byte[] PLAINTEXT = "contract".getBytes(StandardCharsets.UTF_8);

  @RegisterExtension
  static final LocalKmsExtension kms =
      LocalKmsExtension.builder().regions(A, B).replicaCreation(Duration.ZERO).build();

  static DecryptionMaterials decryptionMaterials() {
    return DecryptionMaterials.create(SUITE, EC, Set.of(), null);
  }

  static List<EncryptedDataKey> realEdks(Keyring k) {
    return k.onEncrypt(EncryptionMaterials.create(SUITE, EC, Set.of(), null)).encryptedDataKeys();
  }

  @Test
  void malformedProviderInfo_failsTheWholeDecryptOfBothKeyrings_beforeAnyKmsRequest() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    KmsRouter router = Routers.router(kms, A, B);
    AwsKmsMrkKeyring strict =
        AwsKmsMrkKeyring.builder().keyArn(kms.kms().keyArn(A, keyId)).router(router).build();
    Keyring discovery =
        AwsKmsMrkDiscoveryKeyring.builder()
            .router(router)
            .discoveryFilter("aws", Set.of(LocalKmsExtension.DEFAULT_ACCOUNT))
            .build();
    List<EncryptedDataKey> edks = new ArrayList<>(realEdks(strict)); // would decrypt on its own
    edks.add(
        EncryptedDataKey.of(
            "aws-kms",
            "not-an-arn\nFORGED LOG LINE".getBytes(StandardCharsets.UTF_8),
            new byte[8]));
    for (Keyring k : List.of(strict, discovery)) {
      kms.kms().resetRequestCounts();
      NoDecryptableKeyException e =
          catchThrowableOfType(
              () -> k.onDecrypt(decryptionMaterials(), edks), NoDecryptableKeyException.class);
      assertThat(kms.kms().requestCount(A) + kms.kms().requestCount(B)).as(k.toString()).isZero();
      // One line per attempt, and the forged newline escaped: no line starts with the forgery.
      assertThat(e.getMessage())
          .contains("not-an-arn\\nFORGED LOG LINE")
          .doesNotContain("\nFORGED");
      assertThat(e.getSuppressed())
          .singleElement()
          .satisfies(s -> assertThat(s.getMessage()).contains("\\n").doesNotContain("\n"));
    }
  }

  @Test
  void providerInfoArnWithNewline_isEscapedInEveryMessage() {
    KmsRouter router = Routers.router(kms, A, B);
    Keyring discovery =
        AwsKmsMrkDiscoveryKeyring.builder()
            .router(router)
            .discoveryFilter("aws", Set.of(LocalKmsExtension.DEFAULT_ACCOUNT))
            .build();
    String forged =
        "arn:aws:kms:us-east-1:" + LocalKmsExtension.DEFAULT_ACCOUNT + ":key/mrk-1\nFORGED";
    List<EncryptedDataKey> edks =
        List.of(
            EncryptedDataKey.of("aws-kms", forged.getBytes(StandardCharsets.UTF_8), new byte[8]));
    NoDecryptableKeyException e =
        catchThrowableOfType(
            () -> discovery.onDecrypt(decryptionMaterials(), edks),
            NoDecryptableKeyException.class);
    List<Throwable> all = new ArrayList<>(List.of(e.getSuppressed()));
    for (Throwable s : e.getSuppressed()) {
      all.add(s.getCause());
    }
    assertThat(all).isNotEmpty();
    for (Throwable t : all) {
      assertThat(t.getMessage())
          .as(t.getClass().getName())
          .doesNotContain("\n")
          .contains("mrk-1\\nFORGED");
    }
    // The router's own exception lists one Region per line; the key in it is escaped.
    assertThat(e.getCause().getMessage())
        .contains("mrk-1\\nFORGED")
        .doesNotContain("mrk-1\nFORGED");
  }

  @Test
  void eachAttempt_isOneLine_withRetryablePerAttempt() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    KmsRouter router = Routers.router(kms, A, B);
    AwsKmsMrkKeyring k =
        AwsKmsMrkKeyring.builder().keyArn(kms.kms().keyArn(A, keyId)).router(router).build();
    List<EncryptedDataKey> edks = realEdks(k);

    kms.kms().faults(A).throttle(1.0);
    kms.kms().faults(B).error("KMSInternalException", 1.0);
    NoDecryptableKeyException transientFailure =
        catchThrowableOfType(
            () -> k.onDecrypt(decryptionMaterials(), edks), NoDecryptableKeyException.class);
    assertThat(transientFailure.getSuppressed())
        .hasSize(2)
        .allSatisfy(
            s -> {
              assertThat(s.getMessage()).doesNotContain("\n");
              assertThat(s.getCause()).isInstanceOf(KmsAttemptException.class);
              assertThat(((KmsAttemptException) s.getCause()).retryable()).isTrue();
            });
    assertThat(transientFailure.getSuppressed()[0].getMessage())
        .contains(kms.kms().keyArn(A, keyId))
        .contains(A)
        .contains("THROTTLED")
        .contains("ThrottlingException");
    assertThat(transientFailure.getSuppressed()[1].getMessage())
        .contains(kms.kms().keyArn(B, keyId))
        .contains(B)
        .contains("SERVER_ERROR")
        .contains("KMSInternalException");
    assertThat(((KmsCallException) transientFailure.getCause()).retryable()).isTrue();

    kms.healAll();
    kms.client(A).putKeyPolicy(b -> b.keyId(keyId).policy(KeyPolicies.denyPolicy("kms:Decrypt")));
    NoDecryptableKeyException denied =
        catchThrowableOfType(
            () -> k.onDecrypt(decryptionMaterials(), edks), NoDecryptableKeyException.class);
    DataKeyUnwrapException first = (DataKeyUnwrapException) denied.getSuppressed()[0];
    assertThat(first.getMessage()).contains("ACCESS_DENIED").contains("AccessDeniedException");
    assertThat(((KmsAttemptException) first.getCause()).retryable()).isFalse();
    assertThat(((KmsCallException) denied.getCause()).retryable()).isFalse();
  }

  @Test
  void replicasOfOneMrk_shareAKeyIdentity_andMultiKeyringRefusesThePair() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    KmsRouter router = Routers.router(kms, A, B);
    AwsKmsMrkKeyring east =
        AwsKmsMrkKeyring.builder().keyArn(kms.kms().keyArn(A, keyId)).router(router).build();
    AwsKmsMrkKeyring west =
        AwsKmsMrkKeyring.builder().keyArn(kms.kms().keyArn(B, keyId)).router(router).build();
    assertThat(east.keyIdentity()).isPresent().isEqualTo(west.keyIdentity());
    assertThat(east.keyIdentity().orElseThrow()).doesNotContain(A).contains(keyId);
    assertThatThrownBy(() -> MultiKeyring.builder().generator(east).children(west).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no redundancy");

    String other = kms.kms().createMultiRegionKey(A, B);
    AwsKmsMrkKeyring otherKey =
        AwsKmsMrkKeyring.builder().keyArn(kms.kms().keyArn(A, other)).router(router).build();
    String srk = kms.kms().createKey(A);
    AwsKmsMrkKeyring single =
        AwsKmsMrkKeyring.builder().keyArn(kms.kms().keyArn(A, srk)).router(router).build();
    assertThat(single.keyIdentity()).contains(kms.kms().keyArn(A, srk));
    MultiKeyring ok = MultiKeyring.builder().generator(east).children(otherKey, single).build();
    assertThat(
            EnvelopeClient.builder().keyring(ok).build().encrypt(PLAINTEXT, EC).encryptedDataKeys())
        .hasSize(3);
  }

  @Test
  void failingCredentialsProvider_failsFast_notRetryable_noBreakerOpens() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    AwsCredentialsProvider broken =
        () -> {
          throw SdkClientException.create(
              "Unable to load credentials from any of the providers in the chain");
        };
    try (KmsRouter router =
        KmsRouter.builder()
            .regions(A, B)
            .breakerThreshold(1)
            .clientCustomizer(
                (region, b) ->
                    b.endpointOverride(kms.kms().endpoint(region)).credentialsProvider(broken))
            .build()) {
      EnvelopeClient c =
          EnvelopeClient.builder()
              .keyring(
                  AwsKmsMrkKeyring.builder()
                      .keyArn(kms.kms().keyArn(A, keyId))
                      .router(router)
                      .build())
              .build();
      kms.kms().resetRequestCounts();
      for (int i = 0; i < 3; i++) {
        KmsRejectedException e =
            catchThrowableOfType(() -> c.encrypt(PLAINTEXT, EC), KmsRejectedException.class);
        assertThat(e.retryable()).isFalse();
        assertThat(e.failedFast()).isTrue();
        assertThat(e.attempts())
            .extracting(RegionAttempt::outcome)
            .containsExactly(AttemptOutcome.CREDENTIALS, AttemptOutcome.NOT_TRIED);
        assertThat(e.getMessage()).contains("credentials provider chain");
      }
      assertThat(router.breakerState(A)).isEqualTo(BreakerState.CLOSED);
      assertThat(router.breakerState(B)).isEqualTo(BreakerState.CLOSED);
      assertThat(kms.kms().requestCount(A) + kms.kms().requestCount(B)).isZero();
    }
  }

  @Test
  void clientCustomizer_keepsSdkRetriesOff_evenIfItSetsARetryStrategy() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    try (KmsRouter router =
        KmsRouter.builder()
            .regions(A, B)
            .clientCustomizer(
                (region, b) ->
                    b.endpointOverride(kms.kms().endpoint(region))
                        .credentialsProvider(SdkClients.credentials())
                        .overrideConfiguration(
                            o -> o.retryStrategy(AwsRetryStrategy.standardRetryStrategy())))
            .build()) {
      EnvelopeClient c =
          EnvelopeClient.builder()
              .keyring(
                  AwsKmsMrkKeyring.builder()
                      .keyArn(kms.kms().keyArn(A, keyId))
                      .router(router)
                      .build())
              .build();
      kms.kms().faults(A).throttle(1.0);
      kms.kms().resetRequestCounts();
      c.encrypt(PLAINTEXT, EC);
      assertThat(kms.kms().requestCount(A, "GenerateDataKey")).isEqualTo(1); // no SDK retry
      assertThat(kms.kms().requestCount(B, "GenerateDataKey")).isEqualTo(1);
      assertThat(router.client(A)).isNotNull();
      assertThatThrownBy(() -> router.client("ap-southeast-1")).hasMessageContaining("not one of");
    }
  }
}
