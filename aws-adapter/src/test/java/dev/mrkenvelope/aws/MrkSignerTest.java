package dev.mrkenvelope.aws;

import static dev.mrkenvelope.aws.SigningKeys.jcaVerify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mrkenvelope.EnvelopeException;
import dev.mrkenvelope.testkit.LocalKmsExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.SignResponse;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/** {@link MrkSigner} on kms-local: routing, failover, the public key and its checks. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MrkSignerTest {
  private static final String US = "us-east-1";
  private static final String EU = "eu-west-1";
  private static final String AP = "ap-southeast-1";
  private static final byte[] MESSAGE =
      "transfer 100 EUR to acct 42".getBytes(StandardCharsets.UTF_8);

  @RegisterExtension
  static final LocalKmsExtension kms =
      LocalKmsExtension.builder().regions(US, EU, AP).replicaCreation(Duration.ZERO).build();

  private String p384;
  private String p256;
  private String rsa2048;
  private final List<KmsClient> extraClients = new CopyOnWriteArrayList<>();

  @BeforeAll
  void start() {
    p384 = kms.createSigningMultiRegionKey(KeySpec.ECC_NIST_P384, US, EU, AP);
    p256 = kms.createSigningMultiRegionKey(KeySpec.ECC_NIST_P256, US, EU);
    rsa2048 = kms.createSigningMultiRegionKey(KeySpec.RSA_2048, US, EU);
  }

  @AfterAll
  void stop() {
    extraClients.forEach(KmsClient::close);
  }

  private MrkSigner signer(String arn, SigningAlgorithmSpec alg, KmsRouter router) {
    return MrkSigner.builder().keyArn(arn).router(router).signingAlgorithm(alg).build();
  }

  @Test
  void signInUsEast1_verifiesWithPublicKeyFetchedInEuWest1() throws Exception {
    MrkSigner us = signer(p384, SigningAlgorithmSpec.ECDSA_SHA_384, Routers.router(kms, US, EU));
    MrkSigner eu =
        signer(kms.arnIn(EU, p384), SigningAlgorithmSpec.ECDSA_SHA_384, Routers.router(kms, EU));
    long euSigns = kms.kms().requestCount(EU, "Sign");

    byte[] sig = us.sign(MESSAGE);

    assertThat(kms.kms().requestCount(EU, "Sign")).isEqualTo(euSigns);
    assertThat(eu.publicKeyRegion()).isEqualTo(EU);
    assertThat(eu.verify(MESSAGE, sig)).isTrue();
    assertThat(jcaVerify("ECDSA_SHA_384", eu.publicKeyDer(), MESSAGE, sig)).isTrue();
    assertThat(eu.publicKeyDer()).isEqualTo(us.publicKeyDer());
    assertThat(eu.keyId()).isEqualTo(us.keyId()).startsWith("mrk-");
  }

  @ParameterizedTest
  @ValueSource(strings = {"outage", "blackhole", "throttling"})
  void usEast1Down_signSucceedsThroughEuWest1(String fault) throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    KmsRouter router = Routers.router(kms, List.of(US, EU), b -> b.meterRegistry(registry));
    MrkSigner signer = signer(p384, SigningAlgorithmSpec.ECDSA_SHA_384, router);
    long euSigns = kms.kms().requestCount(EU, "Sign");
    switch (fault) {
      case "outage":
        kms.kms().faults(US).outage();
        break;
      case "blackhole":
        kms.kms().faults(US).blackhole();
        break;
      default:
        kms.kms().faults(US).throttle(1.0);
    }

    byte[] sig = signer.sign(MESSAGE);

    assertThat(kms.kms().requestCount(EU, "Sign")).isEqualTo(euSigns + 1);
    assertThat(signer.verify(MESSAGE, sig)).isTrue();
    assertThat(jcaVerify("ECDSA_SHA_384", signer.publicKeyDer(), MESSAGE, sig)).isTrue();
    assertThat(
            registry
                .find("mrkenvelope.kms.failovers")
                .tags("operation", "Sign", "from", US, "to", EU)
                .counter())
        .isNotNull()
        .extracting(c -> c.count())
        .isEqualTo(1.0);
    assertThat(
            registry
                .find("mrkenvelope.kms.requests")
                .tags("operation", "Sign", "region", EU, "outcome", "success")
                .timer()
                .count())
        .isEqualTo(1);
    // The public key was fetched at build time, before the fault: us-east-1, then eu-west-1.
    for (String region : List.of(US, EU)) {
      assertThat(
              registry
                  .find("mrkenvelope.kms.requests")
                  .tags("operation", "GetPublicKey", "region", region, "outcome", "success")
                  .timer()
                  .count())
          .as("GetPublicKey in %s", region)
          .isEqualTo(1);
    }
  }

  @Test
  void tenThousandVerifies_makeNoKmsRequestAndFetchThePublicKeyOnce() throws Exception {
    long before = totalRequests();
    MrkSigner signer =
        signer(
            rsa2048, SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256, Routers.router(kms, US, EU));
    // Build: one GetPublicKey in us-east-1, one in eu-west-1 to compare.
    assertThat(totalRequests() - before).isEqualTo(2);
    assertThat(signer.crossCheckedWith()).isEqualTo(EU);
    byte[] sig = signer.sign(MESSAGE);
    long afterSign = totalRequests();

    int valid = 0;
    for (int i = 0; i < 10_000; i++) {
      if (signer.verify(MESSAGE, sig)) {
        valid++;
      }
      assertThat(signer.publicKey()).isNotNull();
    }

    assertThat(valid).isEqualTo(10_000);
    assertThat(totalRequests()).isEqualTo(afterSign);
    assertThat(kms.kms().requestCount(US, "Verify") + kms.kms().requestCount(EU, "Verify"))
        .isZero();
  }

  private long totalRequests() {
    return kms.kms().requestCount(US) + kms.kms().requestCount(EU) + kms.kms().requestCount(AP);
  }

  static Stream<Arguments> everyKeySpecAndAlgorithm() {
    return Stream.of(
        Arguments.of(KeySpec.ECC_NIST_P256, SigningAlgorithmSpec.ECDSA_SHA_256),
        Arguments.of(KeySpec.ECC_NIST_P384, SigningAlgorithmSpec.ECDSA_SHA_384),
        Arguments.of(KeySpec.ECC_NIST_P521, SigningAlgorithmSpec.ECDSA_SHA_512),
        Arguments.of(KeySpec.RSA_2048, SigningAlgorithmSpec.RSASSA_PSS_SHA_256),
        Arguments.of(KeySpec.RSA_2048, SigningAlgorithmSpec.RSASSA_PSS_SHA_384),
        Arguments.of(KeySpec.RSA_2048, SigningAlgorithmSpec.RSASSA_PSS_SHA_512),
        Arguments.of(KeySpec.RSA_2048, SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256),
        Arguments.of(KeySpec.RSA_2048, SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_384),
        Arguments.of(KeySpec.RSA_2048, SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_512),
        Arguments.of(KeySpec.RSA_3072, SigningAlgorithmSpec.RSASSA_PSS_SHA_384),
        Arguments.of(KeySpec.RSA_4096, SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_512));
  }

  private final Map<KeySpec, String> keysBySpec = new ConcurrentHashMap<>();

  /**
   * Each spec and algorithm: raw, digest-signed (over 4096 bytes) and caller-digested messages
   * signed in us-east-1 verify with plain JCA on the DER public key fetched in eu-west-1.
   */
  @ParameterizedTest
  @MethodSource("everyKeySpecAndAlgorithm")
  void everySpecAndAlgorithm_signaturesVerifyWithPlainJca(KeySpec spec, SigningAlgorithmSpec alg)
      throws Exception {
    String arn = keysBySpec.computeIfAbsent(spec, s -> kms.createSigningMultiRegionKey(s, US, EU));
    MrkSigner us = signer(arn, alg, Routers.router(kms, US, EU));
    MrkSigner eu = signer(kms.arnIn(EU, arn), alg, Routers.router(kms, EU));
    byte[] big = new byte[5000];
    new java.util.Random(spec.ordinal()).nextBytes(big);
    String hash = "SHA-" + alg.toString().substring(alg.toString().length() - 3);

    byte[] rawSig = us.sign(MESSAGE);
    byte[] bigSig = us.sign(big);
    byte[] digestSig = us.signDigest(MessageDigest.getInstance(hash).digest(MESSAGE));

    assertThat(us.keySpec()).isEqualTo(spec);
    assertThat(eu.publicKeyDer()).isEqualTo(us.publicKeyDer());
    assertThat(jcaVerify(alg.toString(), eu.publicKeyDer(), MESSAGE, rawSig)).isTrue();
    assertThat(jcaVerify(alg.toString(), eu.publicKeyDer(), big, bigSig)).isTrue();
    assertThat(jcaVerify(alg.toString(), eu.publicKeyDer(), MESSAGE, digestSig)).isTrue();
    assertThat(eu.verify(MESSAGE, rawSig)).isTrue();
    assertThat(eu.verify(big, bigSig)).isTrue();
    assertThat(eu.verify(MESSAGE, digestSig)).isTrue();
    assertThat(eu.verify(big, rawSig)).isFalse();
  }

  @Test
  void messagesOver4096BytesAndEmpty_areSignedAsDigestsAndVerifyAsMessages() throws Exception {
    MrkSigner signer =
        signer(p384, SigningAlgorithmSpec.ECDSA_SHA_384, Routers.router(kms, US, EU));
    byte[] big = new byte[10_000];
    new java.util.Random(7).nextBytes(big);
    byte[] exactly4096 = java.util.Arrays.copyOf(big, 4096);

    for (byte[] m : List.of(big, new byte[0], exactly4096, new byte[] {1})) {
      byte[] sig = signer.sign(m);
      assertThat(jcaVerify("ECDSA_SHA_384", signer.publicKeyDer(), m, sig)).isTrue();
      assertThat(signer.verify(m, sig)).isTrue();
    }
  }

  @Test
  void signDigest_verifiesAsTheMessageAndRejectsWrongLengths() throws Exception {
    MrkSigner signer =
        signer(p384, SigningAlgorithmSpec.ECDSA_SHA_384, Routers.router(kms, US, EU));
    byte[] digest = MessageDigest.getInstance("SHA-384").digest(MESSAGE);

    byte[] sig = signer.signDigest(digest);

    assertThat(jcaVerify("ECDSA_SHA_384", signer.publicKeyDer(), MESSAGE, sig)).isTrue();
    long signs = kms.kms().requestCount(US, "Sign");
    assertThatThrownBy(() -> signer.signDigest(new byte[32]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("32 bytes")
        .hasMessageContaining("48-byte SHA-384");
    assertThat(kms.kms().requestCount(US, "Sign")).isEqualTo(signs);
  }

  @Test
  void anyFlippedBit_inSignatureOrMessage_failsVerification() {
    MrkSigner signer = signer(p256, SigningAlgorithmSpec.ECDSA_SHA_256, Routers.router(kms, US));
    byte[] sig = signer.sign(MESSAGE);
    assertThat(signer.verify(MESSAGE, sig)).isTrue();

    List<Integer> accepted = new ArrayList<>();
    for (int bit = 0; bit < sig.length * 8; bit++) {
      byte[] t = sig.clone();
      t[bit / 8] ^= (byte) (1 << (bit % 8));
      if (signer.verify(MESSAGE, t)) {
        accepted.add(bit);
      }
    }
    for (int i = 0; i < MESSAGE.length; i++) {
      byte[] m = MESSAGE.clone();
      int bit = i * 8 + i % 8; // one bit per byte, each bit position in turn
      m[i] ^= (byte) (1 << (i % 8));
      if (signer.verify(m, sig)) {
        accepted.add(-bit);
      }
    }
    assertThat(accepted).isEmpty();
    assertThat(signer.verify(MESSAGE, new byte[0])).isFalse();
    assertThat(signer.verify(MESSAGE, new byte[100_000])).isFalse();
    byte[] trailing = java.util.Arrays.copyOf(sig, sig.length + 1);
    assertThat(signer.verify(MESSAGE, trailing)).isFalse();
  }

  @Test
  void mismatchedAlgorithm_failsAtBuildNamingKeySpecAndItsAlgorithms() {
    KmsRouter router = Routers.router(kms, US, EU);
    long before = kms.kms().requestCount(US, "GetPublicKey");
    long signs = kms.kms().requestCount(US, "Sign");

    assertThatThrownBy(() -> signer(p256, SigningAlgorithmSpec.ECDSA_SHA_384, router))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ECDSA_SHA_384")
        .hasMessageContaining("ECC_NIST_P256")
        .hasMessageContaining("[ECDSA_SHA_256]");
    assertThatThrownBy(() -> signer(p384, SigningAlgorithmSpec.RSASSA_PSS_SHA_384, router))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ECC_NIST_P384")
        .hasMessageContaining("[ECDSA_SHA_384]");
    assertThatThrownBy(() -> signer(rsa2048, SigningAlgorithmSpec.ECDSA_SHA_256, router))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("RSA_2048")
        .hasMessageContaining("RSASSA_PSS_SHA_256")
        .hasMessageContaining("RSASSA_PKCS1_V1_5_SHA_512");
    assertThat(kms.kms().requestCount(US, "GetPublicKey")).isEqualTo(before + 3);
    assertThat(kms.kms().requestCount(US, "Sign")).isEqualTo(signs);
  }

  @Test
  void symmetricKey_failsAtBuildSayingItIsNotASigningKey() {
    String symmetric = kms.kms().keyArn(US, kms.kms().createMultiRegionKey(US, EU));

    assertThatThrownBy(
            () ->
                signer(symmetric, SigningAlgorithmSpec.ECDSA_SHA_256, Routers.router(kms, US, EU)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an asymmetric key")
        .hasMessageContaining("SIGN_VERIFY");
  }

  @Test
  void builderMisuse_namesTheSettingAndTheFix() {
    assertThatThrownBy(() -> MrkSigner.builder().keyArn(p384).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("router")
        .hasMessageContaining("signingAlgorithm");
    assertThatThrownBy(
            () -> MrkSigner.builder().signingAlgorithm(SigningAlgorithmSpec.ED25519_SHA_512))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ED25519_SHA_512")
        .hasMessageContaining("ECDSA_SHA_384");
    assertThatThrownBy(
            () -> MrkSigner.builder().keyArn("arn:aws:kms:us-east-1:111122223333:alias/signing"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an alias");
  }

  @Test
  void replicaWithAnotherPublicKey_failsBuildLoudly() {
    String other = kms.createSigningMultiRegionKey(KeySpec.ECC_NIST_P384, US);
    byte[] otherDer = kms.client(US).getPublicKey(b -> b.keyId(other)).publicKey().asByteArray();
    ExecutionInterceptor swapKey =
        new ExecutionInterceptor() {
          @Override
          public SdkResponse modifyResponse(Context.ModifyResponse c, ExecutionAttributes a) {
            if (c.response() instanceof GetPublicKeyResponse) {
              return ((GetPublicKeyResponse) c.response())
                  .toBuilder().publicKey(SdkBytes.fromByteArray(otherDer)).build();
            }
            return c.response();
          }
        };
    KmsRouter router =
        Routers.router(
            kms,
            List.of(US, EU),
            b -> b.clientFactory(SigningKeys.clientsWith(kms, EU, swapKey, extraClients)));

    assertThatThrownBy(() -> signer(p384, SigningAlgorithmSpec.ECDSA_SHA_384, router))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("differs from the public key of " + kms.arnIn(EU, p384))
        .hasMessageContaining("not the same key");
  }

  @Test
  void signatureFromReplicaWithOtherKeyMaterial_isRejectedNotReturned() {
    String other = kms.createSigningMultiRegionKey(KeySpec.ECC_NIST_P384, EU);
    KmsClient eu = kms.client(EU);
    ExecutionInterceptor forge =
        new ExecutionInterceptor() {
          @Override
          public SdkResponse modifyResponse(Context.ModifyResponse c, ExecutionAttributes a) {
            if (c.response() instanceof SignResponse) {
              SignResponse r = (SignResponse) c.response();
              SdkBytes forged =
                  eu.sign(
                          b ->
                              b.keyId(other)
                                  .message(SdkBytes.fromByteArray(MESSAGE))
                                  .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_384))
                      .signature();
              return r.toBuilder().signature(forged).build();
            }
            return c.response();
          }
        };
    KmsRouter router =
        Routers.router(
            kms,
            List.of(US, EU),
            b -> b.clientFactory(SigningKeys.clientsWith(kms, EU, forge, extraClients)));
    MrkSigner signer = signer(p384, SigningAlgorithmSpec.ECDSA_SHA_384, router);
    kms.kms().faults(US).outage();

    assertThatThrownBy(() -> signer.sign(MESSAGE))
        .isInstanceOf(EnvelopeException.class)
        .hasMessageContaining("does not verify with the public key");
  }

  @Test
  void signAnsweredForAnotherKey_isRejected() {
    String other = kms.kms().keyArn(EU, kms.kms().createMultiRegionKey(EU));
    ExecutionInterceptor wrongKey =
        new ExecutionInterceptor() {
          @Override
          public SdkResponse modifyResponse(Context.ModifyResponse c, ExecutionAttributes a) {
            if (c.response() instanceof SignResponse) {
              return ((SignResponse) c.response()).toBuilder().keyId(other).build();
            }
            return c.response();
          }
        };
    KmsRouter router =
        Routers.router(
            kms,
            List.of(EU),
            b -> b.clientFactory(SigningKeys.clientsWith(kms, EU, wrongKey, extraClients)));
    MrkSigner signer = signer(kms.arnIn(EU, p384), SigningAlgorithmSpec.ECDSA_SHA_384, router);

    assertThatThrownBy(() -> signer.sign(MESSAGE))
        .isInstanceOf(EnvelopeException.class)
        .hasMessageContaining("answered with KeyId " + other);
  }

  @Test
  void builtWhileTheSecondReplicaIsDown_checksThePublicKeyOnALaterSign() {
    kms.kms().faults(EU).outage();
    MrkSigner signer =
        MrkSigner.builder()
            .keyArn(p384)
            .router(Routers.router(kms, US, EU))
            .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_384)
            .crossCheckRetry(Duration.ZERO)
            .build();
    assertThat(signer.crossCheckedWith()).isNull();
    kms.kms().faults(EU).heal();
    long euGets = kms.kms().requestCount(EU, "GetPublicKey");

    signer.sign(MESSAGE);
    signer.sign(MESSAGE);

    assertThat(signer.crossCheckedWith()).isEqualTo(EU);
    assertThat(kms.kms().requestCount(EU, "GetPublicKey")).isEqualTo(euGets + 1);
  }

  @Test
  void keyWithOneAllowedReplica_needsNoSecondOpinion() {
    long apGets = kms.kms().requestCount(AP, "GetPublicKey");
    MrkSigner signer =
        signer(
            kms.arnIn(EU, p256), SigningAlgorithmSpec.ECDSA_SHA_256, Routers.router(kms, EU, AP));

    // p256 has no replica in ap-southeast-1: nothing to compare, and signing works.
    assertThat(signer.crossCheckedWith()).isNull();
    assertThat(signer.verify(MESSAGE, signer.sign(MESSAGE))).isTrue();
    assertThat(kms.kms().requestCount(AP, "GetPublicKey")).isEqualTo(apGets + 1);
  }
}
