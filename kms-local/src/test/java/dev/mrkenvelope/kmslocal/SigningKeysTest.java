package dev.mrkenvelope.kmslocal;

import static dev.mrkenvelope.kmslocal.SdkClients.code;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.InvalidKeyUsageException;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsInvalidSignatureException;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * Every signing key spec and algorithm through the real SDK client; signatures are checked with
 * plain JCA (an implementation independent of kms-local) using the public key fetched from the
 * other replica.
 */
class SigningKeysTest {
  static final String EAST = "us-east-1";
  static final String WEST = "eu-west-1";
  static final byte[] MESSAGE = "sign me in any region".getBytes(StandardCharsets.UTF_8);

  static LocalKms kms;
  static KmsClient east;
  static KmsClient west;

  /** One multi-Region key per spec, replicated to WEST; RSA pairs are slow, so made once. */
  static final Map<KeySpec, String> keys = new EnumMap<>(KeySpec.class);

  static final List<KeySpec> SIGNING_SPECS =
      List.of(
          KeySpec.ECC_NIST_P256,
          KeySpec.ECC_NIST_P384,
          KeySpec.ECC_NIST_P521,
          KeySpec.RSA_2048,
          KeySpec.RSA_3072,
          KeySpec.RSA_4096);

  @BeforeAll
  static void start() {
    kms = LocalKms.builder().regions(EAST, WEST).start();
    east = SdkClients.noRetries(kms, EAST);
    west = SdkClients.noRetries(kms, WEST);
    for (KeySpec spec : SIGNING_SPECS) {
      String id =
          east.createKey(b -> b.keySpec(spec).keyUsage(KeyUsageType.SIGN_VERIFY).multiRegion(true))
              .keyMetadata()
              .keyId();
      east.replicateKey(b -> b.keyId(id).replicaRegion(WEST));
      SdkClients.awaitEnabled(west, id, Duration.ofSeconds(10));
      keys.put(spec, id);
    }
  }

  @AfterAll
  static void stop() {
    east.close();
    west.close();
    kms.close();
  }

  static List<SigningAlgorithmSpec> algorithms(KeySpec spec) {
    switch (spec) {
      case ECC_NIST_P256:
        return List.of(SigningAlgorithmSpec.ECDSA_SHA_256);
      case ECC_NIST_P384:
        return List.of(SigningAlgorithmSpec.ECDSA_SHA_384);
      case ECC_NIST_P521:
        return List.of(SigningAlgorithmSpec.ECDSA_SHA_512);
      default:
        return List.of(
            SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_256,
            SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_384,
            SigningAlgorithmSpec.RSASSA_PKCS1_V1_5_SHA_512,
            SigningAlgorithmSpec.RSASSA_PSS_SHA_256,
            SigningAlgorithmSpec.RSASSA_PSS_SHA_384,
            SigningAlgorithmSpec.RSASSA_PSS_SHA_512);
    }
  }

  static String hashOf(SigningAlgorithmSpec alg) {
    String n = alg.toString();
    return "SHA-" + n.substring(n.length() - 3);
  }

  /** A JCA verifier for the algorithm, configured as KMS signs (PSS salt = digest length). */
  static Signature jcaVerifier(SigningAlgorithmSpec alg, PublicKey key) throws Exception {
    String bits = alg.toString().substring(alg.toString().length() - 3);
    Signature s;
    if (alg.toString().startsWith("ECDSA")) {
      s = Signature.getInstance("SHA" + bits + "withECDSA");
    } else if (alg.toString().startsWith("RSASSA_PKCS1")) {
      s = Signature.getInstance("SHA" + bits + "withRSA");
    } else {
      s = Signature.getInstance("RSASSA-PSS");
      String hash = "SHA-" + bits;
      s.setParameter(
          new PSSParameterSpec(
              hash, "MGF1", new MGF1ParameterSpec(hash), Integer.parseInt(bits) / 8, 1));
    }
    s.initVerify(key);
    return s;
  }

  static boolean jcaVerifies(SigningAlgorithmSpec alg, PublicKey key, byte[] signature)
      throws Exception {
    Signature v = jcaVerifier(alg, key);
    v.update(MESSAGE);
    return v.verify(signature);
  }

  @ParameterizedTest
  @EnumSource(
      names = {
        "ECC_NIST_P256",
        "ECC_NIST_P384",
        "ECC_NIST_P521",
        "RSA_2048",
        "RSA_3072",
        "RSA_4096"
      })
  void signInOneRegion_verifiesWithJcaAndThePublicKeyOfTheOther(KeySpec spec) throws Exception {
    String id = keys.get(spec);
    GetPublicKeyResponse pk = west.getPublicKey(b -> b.keyId(id));
    assertThat(pk.keyId()).isEqualTo(kms.keyArn(WEST, id));
    assertThat(pk.keySpec()).isEqualTo(spec);
    assertThat(pk.keyUsage()).isEqualTo(KeyUsageType.SIGN_VERIFY);
    assertThat(pk.signingAlgorithms()).containsExactlyElementsOf(algorithms(spec));
    assertThat(east.getPublicKey(b -> b.keyId(id)).publicKey()).isEqualTo(pk.publicKey());
    assertThat(east.describeKey(b -> b.keyId(id)).keyMetadata().signingAlgorithms())
        .containsExactlyElementsOf(algorithms(spec));
    PublicKey publicKey =
        KeyFactory.getInstance(spec.toString().startsWith("RSA") ? "RSA" : "EC")
            .generatePublic(new X509EncodedKeySpec(pk.publicKey().asByteArray()));

    for (SigningAlgorithmSpec alg : algorithms(spec)) {
      byte[] raw =
          east.sign(b -> b.keyId(id).message(SdkBytes.fromByteArray(MESSAGE)).signingAlgorithm(alg))
              .signature()
              .asByteArray();
      assertThat(jcaVerifies(alg, publicKey, raw)).as("%s RAW", alg).isTrue();

      byte[] digest = MessageDigest.getInstance(hashOf(alg)).digest(MESSAGE);
      var signed =
          east.sign(
              b ->
                  b.keyId(id)
                      .message(SdkBytes.fromByteArray(digest))
                      .messageType(MessageType.DIGEST)
                      .signingAlgorithm(alg));
      assertThat(signed.keyId()).isEqualTo(kms.keyArn(EAST, id));
      assertThat(signed.signingAlgorithm()).isEqualTo(alg);
      assertThat(jcaVerifies(alg, publicKey, signed.signature().asByteArray()))
          .as("%s DIGEST", alg)
          .isTrue();

      // The replica verifies what the primary signed, as a RAW message and as a digest.
      assertThat(
              west.verify(
                      b ->
                          b.keyId(id)
                              .message(SdkBytes.fromByteArray(MESSAGE))
                              .signature(SdkBytes.fromByteArray(raw))
                              .signingAlgorithm(alg))
                  .signatureValid())
          .isTrue();
      assertThat(
              west.verify(
                      b ->
                          b.keyId(id)
                              .message(SdkBytes.fromByteArray(digest))
                              .messageType(MessageType.DIGEST)
                              .signature(signed.signature())
                              .signingAlgorithm(alg))
                  .signatureValid())
          .isTrue();

      byte[] tampered = raw.clone();
      tampered[tampered.length / 2] ^= 1;
      assertThat(jcaVerifies(alg, publicKey, tampered)).isFalse();
      assertThatThrownBy(
              () ->
                  west.verify(
                      b ->
                          b.keyId(id)
                              .message(SdkBytes.fromByteArray(MESSAGE))
                              .signature(SdkBytes.fromByteArray(tampered))
                              .signingAlgorithm(alg)))
          .isInstanceOf(KmsInvalidSignatureException.class);
    }
  }

  @Test
  void wrongAlgorithmForTheKeySpec_isInvalidKeyUsage_andNamesTheValidOnes() {
    String rsa = keys.get(KeySpec.RSA_2048);
    String p521 = keys.get(KeySpec.ECC_NIST_P521);
    assertThatThrownBy(
            () ->
                east.sign(
                    b ->
                        b.keyId(rsa)
                            .message(SdkBytes.fromByteArray(MESSAGE))
                            .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)))
        .isInstanceOf(InvalidKeyUsageException.class)
        .hasMessageContaining("Algorithm ECDSA_SHA_256 is incompatible with key spec RSA_2048")
        .hasMessageContaining("RSASSA_PSS_SHA_256");
    assertThatThrownBy(
            () ->
                east.sign(
                    b ->
                        b.keyId(p521)
                            .message(SdkBytes.fromByteArray(MESSAGE))
                            .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_384)))
        .isInstanceOf(InvalidKeyUsageException.class);
    assertThatThrownBy(
            () ->
                east.sign(
                    b ->
                        b.keyId(p521)
                            .message(SdkBytes.fromByteArray(MESSAGE))
                            .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PSS_SHA_512)))
        .isInstanceOf(InvalidKeyUsageException.class);
    assertThatThrownBy(
            () ->
                east.sign(
                    b ->
                        b.keyId(rsa)
                            .message(SdkBytes.fromByteArray(MESSAGE))
                            .signingAlgorithm(SigningAlgorithmSpec.SM2_DSA)))
        .isInstanceOf(InvalidKeyUsageException.class);
  }

  @Test
  void digestOfTheWrongLength_isValidationException() {
    String rsa = keys.get(KeySpec.RSA_3072);
    byte[] sha256 = new byte[32];
    assertThatThrownBy(
            () ->
                east.sign(
                    b ->
                        b.keyId(rsa)
                            .message(SdkBytes.fromByteArray(sha256))
                            .messageType(MessageType.DIGEST)
                            .signingAlgorithm(SigningAlgorithmSpec.RSASSA_PSS_SHA_384)))
        .satisfies(t -> assertThat(code(t)).isEqualTo("ValidationException"))
        .hasMessageContaining("Digest is invalid length for algorithm RSASSA_PSS_SHA_384");
  }

  @Test
  void rsaForEncryption_isUnsupported_andRsaMetadataIsSignVerify() {
    assertThatThrownBy(
            () ->
                east.createKey(
                    b -> b.keySpec(KeySpec.RSA_2048).keyUsage(KeyUsageType.ENCRYPT_DECRYPT)))
        .satisfies(t -> assertThat(code(t)).isEqualTo("UnsupportedOperationException"))
        .hasMessageContaining("SIGN_VERIFY");
    var md = west.describeKey(b -> b.keyId(keys.get(KeySpec.RSA_4096))).keyMetadata();
    assertThat(md.keySpec()).isEqualTo(KeySpec.RSA_4096);
    assertThat(md.keyUsage()).isEqualTo(KeyUsageType.SIGN_VERIFY);
    assertThat(md.keyState()).isEqualTo(KeyState.ENABLED);
    assertThat(md.encryptionAlgorithms()).isEmpty();
  }
}
