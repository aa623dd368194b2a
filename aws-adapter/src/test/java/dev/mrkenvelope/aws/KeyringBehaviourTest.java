package dev.mrkenvelope.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.mrkenvelope.DataKeyUnwrapException;
import dev.mrkenvelope.EncryptResult;
import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.EnvelopeException;
import dev.mrkenvelope.NoDecryptableKeyException;
import dev.mrkenvelope.keyring.MultiKeyring;
import dev.mrkenvelope.keyring.RawAesKeyring;
import dev.mrkenvelope.testkit.LocalKmsExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DecryptRequest;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyRequest;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;

/** The keyrings' EDKs, filters, checks and error reports, through the real SDK on kms-local. */
class KeyringBehaviourTest {
  static final String A = "us-east-1";
  static final String B = "eu-west-1";
  static final String C = "ap-southeast-1";
  static final byte[] PLAINTEXT = "keyrings".getBytes(StandardCharsets.UTF_8);
  static final Map<String, String> EC = Map.of("purpose", "test");

  @RegisterExtension
  static final LocalKmsExtension kms =
      LocalKmsExtension.builder().regions(A, B, C).replicaCreation(Duration.ZERO).build();

  static EnvelopeClient client(dev.mrkenvelope.keyring.Keyring k) {
    return EnvelopeClient.builder().keyring(k).build();
  }

  @Test
  void generateDataKey_sendsSuiteLengthAndFullContext_andWritesReturnedArn() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    List<GenerateDataKeyRequest> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    KmsRouter router =
        KmsRouter.builder()
            .regions(A, B)
            .clientFactory(r -> spy(kms.clientFactory().apply(r), seen, null))
            .build();
    try (router) {
      EncryptResult e =
          client(
                  AwsKmsMrkKeyring.builder()
                      .keyArn(kms.kms().keyArn(A, keyId))
                      .router(router)
                      .build())
              .encrypt(PLAINTEXT, EC);
      assertThat(seen)
          .singleElement()
          .satisfies(
              req -> {
                assertThat(req.numberOfBytes()).isEqualTo(32);
                assertThat(req.keyId()).isEqualTo(kms.kms().keyArn(A, keyId));
                // The default suite signs: the full context includes aws-crypto-public-key.
                assertThat(req.encryptionContext())
                    .containsAllEntriesOf(EC)
                    .containsKey("aws-crypto-public-key");
              });
      EncryptedDataKey edk = e.encryptedDataKeys().get(0);
      assertThat(edk.providerId()).isEqualTo("aws-kms");
      assertThat(edk.providerInfoUtf8()).isEqualTo(kms.kms().keyArn(A, keyId));
    }
  }

  @Test
  void multiKeyringChild_usesEncryptOfExistingDataKey() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    KmsRouter router = Routers.router(kms, A, B);
    RawAesKeyring raw =
        RawAesKeyring.builder().keyNamespace("ns").keyName("k").wrappingKey(new byte[32]).build();
    AwsKmsMrkKeyring kmsKeyring =
        AwsKmsMrkKeyring.builder().keyArn(kms.kms().keyArn(A, keyId)).router(router).build();
    kms.kms().resetRequestCounts();
    EncryptResult e =
        client(MultiKeyring.builder().generator(raw).children(kmsKeyring).build())
            .encrypt(PLAINTEXT, EC);
    assertThat(kms.kms().requestCount(A, "Encrypt")).isEqualTo(1);
    assertThat(kms.kms().requestCount(A, "GenerateDataKey")).isZero();
    assertThat(e.encryptedDataKeys()).hasSize(2);
    // Only the KMS EDK is needed to decrypt.
    assertThat(client(kmsKeyring).decrypt(e.ciphertext()).plaintext()).isEqualTo(PLAINTEXT);
  }

  @Test
  void strictKeyring_decryptsMessageOfOtherReplica_viaRouterRegion() {
    String keyId = kms.kms().createMultiRegionKey(A, B, C);
    KmsRouter east = Routers.router(kms, A);
    byte[] ct =
        client(AwsKmsMrkKeyring.builder().keyArn(kms.kms().keyArn(A, keyId)).router(east).build())
            .encrypt(PLAINTEXT, EC)
            .ciphertext();
    // A keyring configured with the C replica, routed to B only.
    KmsRouter west = Routers.router(kms, B);
    kms.kms().resetRequestCounts();
    assertThat(
            client(
                    AwsKmsMrkKeyring.builder()
                        .keyArn(kms.kms().keyArn(C, keyId))
                        .router(west)
                        .build())
                .decrypt(ct)
                .plaintext())
        .isEqualTo(PLAINTEXT);
    assertThat(kms.kms().requestCount(B, "Decrypt")).isEqualTo(1);
    assertThat(kms.kms().requestCount(A) + kms.kms().requestCount(C)).isZero();
  }

  @Test
  void strictKeyring_ignoresEdksOfOtherKeys() {
    String k1 = kms.kms().createMultiRegionKey(A, B);
    String k2 = kms.kms().createMultiRegionKey(A, B);
    KmsRouter router = Routers.router(kms, A, B);
    byte[] ct =
        client(AwsKmsMrkKeyring.builder().keyArn(kms.kms().keyArn(A, k1)).router(router).build())
            .encrypt(PLAINTEXT, EC)
            .ciphertext();
    kms.kms().resetRequestCounts();
    NoDecryptableKeyException e =
        catchThrowableOfType(
            () ->
                client(
                        AwsKmsMrkKeyring.builder()
                            .keyArn(kms.kms().keyArn(A, k2))
                            .router(router)
                            .build())
                    .decrypt(ct),
            NoDecryptableKeyException.class);
    assertThat(e).hasMessageContaining("matches none");
    assertThat(kms.kms().requestCount(A) + kms.kms().requestCount(B)).isZero();
  }

  @Test
  void singleRegionKey_isCalledOnlyInItsOwnRegion() {
    String srk = kms.kms().createKey(B);
    KmsRouter router = Routers.router(kms, A, B, C);
    AwsKmsMrkKeyring k =
        AwsKmsMrkKeyring.builder().keyArn(kms.kms().keyArn(B, srk)).router(router).build();
    byte[] ct = client(k).encrypt(PLAINTEXT, EC).ciphertext();
    kms.kms().faults(B).error("KMSInternalException", 1.0);
    kms.kms().resetRequestCounts();
    NoDecryptableKeyException e =
        catchThrowableOfType(() -> client(k).decrypt(ct), NoDecryptableKeyException.class);
    assertThat(kms.kms().requestCount(A) + kms.kms().requestCount(C)).isZero();
    assertThat(e.getCause()).isInstanceOf(KmsUnavailableException.class);
    assertThat(((KmsUnavailableException) e.getCause()).retryable()).isTrue();
    assertThat(e.getSuppressed())
        .singleElement()
        .satisfies(
            s -> {
              DataKeyUnwrapException d = (DataKeyUnwrapException) s;
              assertThat(d.region()).contains(B);
              assertThat(d.reason()).contains("KMSInternalException");
            });
  }

  @Test
  void singleRegionKeyOutsideAllowList_isRejectedAtBuild() {
    String srk = kms.kms().createKey(C);
    KmsRouter router = Routers.router(kms, A, B);
    assertThatThrownBy(
            () ->
                AwsKmsMrkKeyring.builder().keyArn(kms.kms().keyArn(C, srk)).router(router).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("single-Region key in ap-southeast-1")
        .hasMessageContaining("[us-east-1, eu-west-1]");
  }

  @Test
  void discoveryKeyring_cannotEncrypt() {
    KmsRouter router = Routers.router(kms, A);
    assertThatThrownBy(
            () ->
                client(AwsKmsMrkDiscoveryKeyring.builder().router(router).build())
                    .encrypt(PLAINTEXT, EC))
        .isInstanceOf(EnvelopeException.class)
        .hasMessageContaining("only decrypts");
  }

  @Test
  void discoveryFilter_otherAccount_isSkippedWithoutRequest() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    KmsRouter router = Routers.router(kms, A, B);
    byte[] ct =
        client(AwsKmsMrkKeyring.builder().keyArn(kms.kms().keyArn(A, keyId)).router(router).build())
            .encrypt(PLAINTEXT, EC)
            .ciphertext();
    kms.kms().resetRequestCounts();
    NoDecryptableKeyException e =
        catchThrowableOfType(
            () ->
                client(
                        AwsKmsMrkDiscoveryKeyring.builder()
                            .router(router)
                            .discoveryFilter("aws", Set.of("444455556666"))
                            .build())
                    .decrypt(ct),
            NoDecryptableKeyException.class);
    assertThat(e.getSuppressed())
        .singleElement()
        .satisfies(s -> assertThat(s).hasMessageContaining("discovery filter"));
    assertThat(kms.kms().requestCount(A) + kms.kms().requestCount(B)).isZero();
    assertThatThrownBy(
            () ->
                client(
                        AwsKmsMrkDiscoveryKeyring.builder()
                            .router(router)
                            .discoveryFilter("aws-cn", Set.of(LocalKmsExtension.DEFAULT_ACCOUNT))
                            .build())
                    .decrypt(ct))
        .isInstanceOf(NoDecryptableKeyException.class);
    assertThat(kms.kms().requestCount(A) + kms.kms().requestCount(B)).isZero();
    assertThat(
            client(
                    AwsKmsMrkDiscoveryKeyring.builder()
                        .router(router)
                        .discoveryFilter("aws", Set.of(LocalKmsExtension.DEFAULT_ACCOUNT))
                        .build())
                .decrypt(ct)
                .plaintext())
        .isEqualTo(PLAINTEXT);
  }

  @Test
  void replicaMissingInPreferredRegion_isSkippedAsNotFound() {
    String keyId = kms.kms().createMultiRegionKey(B, C); // no replica in A
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    KmsRouter router = Routers.router(kms, List.of(A, B, C), b -> b.meterRegistry(registry));
    AwsKmsMrkKeyring k =
        AwsKmsMrkKeyring.builder().keyArn(kms.kms().keyArn(B, keyId)).router(router).build();
    byte[] ct = client(k).encrypt(PLAINTEXT, EC).ciphertext();
    kms.kms().resetRequestCounts();
    assertThat(client(k).decrypt(ct).plaintext()).isEqualTo(PLAINTEXT);
    assertThat(kms.kms().requestCount(A, "Decrypt")).isEqualTo(1);
    assertThat(kms.kms().requestCount(B, "Decrypt")).isEqualTo(1);
    assertThat(
            registry
                .get("mrkenvelope.kms.failovers")
                .tags("operation", "Decrypt", "from", A, "to", B, "reason", "not_found")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(router.breakerState(A)).isEqualTo(BreakerState.CLOSED);
  }

  @Test
  void tamperedEdk_failsFastWithInvalidCiphertext() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    KmsRouter router = Routers.router(kms, A, B);
    AwsKmsMrkKeyring k =
        AwsKmsMrkKeyring.builder().keyArn(kms.kms().keyArn(A, keyId)).router(router).build();
    // Ask the keyring directly with the wrong encryption context: KMS says InvalidCiphertext.
    var suite = dev.mrkenvelope.AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
    var enc =
        k.onEncrypt(
            dev.mrkenvelope.materials.EncryptionMaterials.create(suite, EC, Set.of(), null));
    var dec =
        dev.mrkenvelope.materials.DecryptionMaterials.create(
            suite, Map.of("purpose", "other"), Set.of(), null);
    kms.kms().resetRequestCounts();
    NoDecryptableKeyException e =
        catchThrowableOfType(
            () -> k.onDecrypt(dec, enc.encryptedDataKeys()), NoDecryptableKeyException.class);
    KmsRejectedException cause = (KmsRejectedException) e.getCause();
    assertThat(cause.failedFast()).isTrue();
    assertThat(cause.retryable()).isFalse();
    assertThat(cause.getMessage())
        .contains("InvalidCiphertextException")
        .contains("encryption context");
    assertThat(kms.kms().requestCount(B)).isZero();
    // With the right context it unwraps the same data key.
    var ok =
        k.onDecrypt(
            dev.mrkenvelope.materials.DecryptionMaterials.create(suite, EC, Set.of(), null),
            enc.encryptedDataKeys());
    assertThat(ok.plaintextDataKey().orElseThrow()).isEqualTo(enc.plaintextDataKey().orElseThrow());
  }

  @Test
  void decryptAnswerWithWrongKeyId_failsHard_withoutAskingAnotherRegion() {
    String keyId = kms.kms().createMultiRegionKey(A, B);
    KmsRouter plain = Routers.router(kms, A, B);
    byte[] ct =
        client(AwsKmsMrkKeyring.builder().keyArn(kms.kms().keyArn(A, keyId)).router(plain).build())
            .encrypt(PLAINTEXT, EC)
            .ciphertext();
    // A's client lies about which key decrypted (as a misrouted endpoint would).
    try (KmsRouter router =
        KmsRouter.builder()
            .regions(A, B)
            .clientFactory(
                r -> {
                  KmsClient real = kms.clientFactory().apply(r);
                  return r.equals(A)
                      ? spy(
                          real,
                          null,
                          resp -> resp.toBuilder().keyId(kms.kms().keyArn(B, keyId)).build())
                      : real;
                })
            .build()) {
      EnvelopeClient c =
          client(
              AwsKmsMrkKeyring.builder().keyArn(kms.kms().keyArn(A, keyId)).router(router).build());
      kms.kms().resetRequestCounts();
      // An answer naming another key is an integrity failure: fail hard.
      NoDecryptableKeyException e =
          catchThrowableOfType(() -> c.decrypt(ct), NoDecryptableKeyException.class);
      assertThat(Arrays.stream(e.getSuppressed()).map(Throwable::getMessage))
          .anySatisfy(
              m -> assertThat(m).contains("not the requested " + kms.kms().keyArn(A, keyId)));
      assertThat(kms.kms().requestCount(A, "Decrypt")).isEqualTo(1);
      assertThat(kms.kms().requestCount(B, "Decrypt")).isZero();
    }
  }

  /** A KmsClient that records GenerateDataKey requests and may rewrite Decrypt answers. */
  static KmsClient spy(
      KmsClient real, List<GenerateDataKeyRequest> seen, UnaryOperator<DecryptResponse> decrypt) {
    return new KmsClient() {
      @Override
      public GenerateDataKeyResponse generateDataKey(GenerateDataKeyRequest r) {
        if (seen != null) {
          seen.add(r);
        }
        return real.generateDataKey(r);
      }

      @Override
      public DecryptResponse decrypt(DecryptRequest r) {
        DecryptResponse resp = real.decrypt(r);
        return decrypt == null ? resp : decrypt.apply(resp);
      }

      @Override
      public String serviceName() {
        return real.serviceName();
      }

      @Override
      public void close() {
        real.close();
      }
    };
  }
}
