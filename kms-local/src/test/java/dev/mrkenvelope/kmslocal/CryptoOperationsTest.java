package dev.mrkenvelope.kmslocal;

import static dev.mrkenvelope.kmslocal.SdkClients.code;
import static dev.mrkenvelope.kmslocal.SdkClients.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.DryRunOperationException;
import software.amazon.awssdk.services.kms.model.EncryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.InvalidKeyUsageException;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.KmsInvalidSignatureException;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.ReEncryptResponse;
import software.amazon.awssdk.services.kms.model.SignResponse;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

class CryptoOperationsTest {
  static final String REGION = "us-west-2";
  static LocalKms kms;
  static KmsClient client;
  static String keyId;
  static String keyArn;

  @BeforeAll
  static void start() {
    kms = LocalKms.builder().regions(REGION).start();
    client = SdkClients.noRetries(kms, REGION);
    keyId = client.createKey(b -> b.description("crypto")).keyMetadata().keyId();
    keyArn = kms.keyArn(REGION, keyId);
  }

  @AfterAll
  static void stop() {
    client.close();
    kms.close();
  }

  static SdkBytes bytes(String s) {
    return SdkBytes.fromString(s, StandardCharsets.UTF_8);
  }

  @Test
  void encryptDecrypt_roundTripsWithArnsAndContext() {
    Map<String, String> ec = Map.of("purpose", "test", "tenant", "a");
    EncryptResponse e =
        client.encrypt(b -> b.keyId(keyId).plaintext(bytes("hello")).encryptionContext(ec));
    assertThat(e.keyId()).isEqualTo(keyArn);
    assertThat(e.encryptionAlgorithmAsString()).isEqualTo("SYMMETRIC_DEFAULT");

    DecryptResponse d =
        client.decrypt(b -> b.ciphertextBlob(e.ciphertextBlob()).encryptionContext(ec));
    assertThat(d.plaintext().asUtf8String()).isEqualTo("hello");
    assertThat(d.keyId()).isEqualTo(keyArn);

    DecryptResponse withKeyId =
        client.decrypt(
            b -> b.ciphertextBlob(e.ciphertextBlob()).encryptionContext(ec).keyId(keyArn));
    assertThat(withKeyId.plaintext().asUtf8String()).isEqualTo("hello");
  }

  @Test
  void decrypt_wrongOrMissingContext_isInvalidCiphertext() {
    SdkBytes blob =
        client
            .encrypt(b -> b.keyId(keyId).plaintext(bytes("x")).encryptionContext(Map.of("a", "1")))
            .ciphertextBlob();
    assertThatThrownBy(
            () -> client.decrypt(b -> b.ciphertextBlob(blob).encryptionContext(Map.of("a", "2"))))
        .isInstanceOf(InvalidCiphertextException.class)
        .satisfies(t -> assertThat(status(t)).isEqualTo(400));
    assertThatThrownBy(() -> client.decrypt(b -> b.ciphertextBlob(blob)))
        .isInstanceOf(InvalidCiphertextException.class);
  }

  @Test
  void decrypt_contextIsLengthPrefixed_soShiftedPairsDoNotMatch() {
    SdkBytes blob =
        client
            .encrypt(b -> b.keyId(keyId).plaintext(bytes("x")).encryptionContext(Map.of("ab", "c")))
            .ciphertextBlob();
    assertThatThrownBy(
            () -> client.decrypt(b -> b.ciphertextBlob(blob).encryptionContext(Map.of("a", "bc"))))
        .isInstanceOf(InvalidCiphertextException.class);
  }

  @Test
  void decrypt_tamperedOrGarbageBlob_isInvalidCiphertext() {
    byte[] blob =
        client
            .encrypt(b -> b.keyId(keyId).plaintext(bytes("secret")))
            .ciphertextBlob()
            .asByteArray();
    blob[blob.length - 1] ^= 1;
    assertThatThrownBy(() -> client.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(blob))))
        .isInstanceOf(InvalidCiphertextException.class);
    assertThatThrownBy(() -> client.decrypt(b -> b.ciphertextBlob(bytes("not a kms blob at all"))))
        .isInstanceOf(InvalidCiphertextException.class);
  }

  @Test
  void decrypt_keyIdOfAnotherKey_isIncorrectKey() {
    String other = client.createKey(b -> {}).keyMetadata().keyId();
    SdkBytes blob = client.encrypt(b -> b.keyId(keyId).plaintext(bytes("x"))).ciphertextBlob();
    assertThatThrownBy(() -> client.decrypt(b -> b.ciphertextBlob(blob).keyId(other)))
        .isInstanceOf(IncorrectKeyException.class)
        .satisfies(t -> assertThat(status(t)).isEqualTo(400));
  }

  @Test
  void generateDataKey_honoursNumberOfBytesAndKeySpec() {
    GenerateDataKeyResponse g =
        client.generateDataKey(
            b -> b.keyId(keyId).numberOfBytes(24).encryptionContext(Map.of("k", "v")));
    assertThat(g.plaintext().asByteArray()).hasSize(24);
    assertThat(g.keyId()).isEqualTo(keyArn);
    assertThat(g.keyMaterialId()).hasSize(64);
    DecryptResponse d =
        client.decrypt(
            b -> b.ciphertextBlob(g.ciphertextBlob()).encryptionContext(Map.of("k", "v")));
    assertThat(d.plaintext()).isEqualTo(g.plaintext());

    assertThat(
            client
                .generateDataKey(b -> b.keyId(keyId).keySpec(DataKeySpec.AES_128))
                .plaintext()
                .asByteArray())
        .hasSize(16);
    assertThat(
            client
                .generateDataKey(b -> b.keyId(keyId).keySpec(DataKeySpec.AES_256))
                .plaintext()
                .asByteArray())
        .hasSize(32);
  }

  @Test
  void generateDataKey_neitherOrBothSizes_isValidationException() {
    assertThatThrownBy(() -> client.generateDataKey(b -> b.keyId(keyId)))
        .satisfies(t -> assertThat(code(t)).isEqualTo("ValidationException"));
    assertThatThrownBy(
            () ->
                client.generateDataKey(
                    b -> b.keyId(keyId).numberOfBytes(32).keySpec(DataKeySpec.AES_256)))
        .satisfies(t -> assertThat(code(t)).isEqualTo("ValidationException"));
    assertThatThrownBy(() -> client.generateDataKey(b -> b.keyId(keyId).numberOfBytes(1025)))
        .satisfies(t -> assertThat(code(t)).isEqualTo("ValidationException"));
  }

  @Test
  void generateDataKeyWithoutPlaintext_returnsOnlyCiphertext() {
    var g =
        client.generateDataKeyWithoutPlaintext(b -> b.keyId(keyId).keySpec(DataKeySpec.AES_256));
    assertThat(g.keyId()).isEqualTo(keyArn);
    assertThat(client.decrypt(b -> b.ciphertextBlob(g.ciphertextBlob())).plaintext().asByteArray())
        .hasSize(32);
  }

  @Test
  void reEncrypt_movesCiphertextToAnotherKeyAndContext() {
    String dest = client.createKey(b -> {}).keyMetadata().keyId();
    SdkBytes blob =
        client
            .encrypt(
                b ->
                    b.keyId(keyId)
                        .plaintext(bytes("move me"))
                        .encryptionContext(Map.of("from", "1")))
            .ciphertextBlob();
    ReEncryptResponse r =
        client.reEncrypt(
            b ->
                b.ciphertextBlob(blob)
                    .sourceEncryptionContext(Map.of("from", "1"))
                    .destinationKeyId(dest)
                    .destinationEncryptionContext(Map.of("to", "2")));
    assertThat(r.sourceKeyId()).isEqualTo(keyArn);
    assertThat(r.keyId()).isEqualTo(kms.keyArn(REGION, dest));
    DecryptResponse d =
        client.decrypt(
            b -> b.ciphertextBlob(r.ciphertextBlob()).encryptionContext(Map.of("to", "2")));
    assertThat(d.plaintext().asUtf8String()).isEqualTo("move me");
    assertThat(d.keyId()).isEqualTo(kms.keyArn(REGION, dest));
    assertThatThrownBy(
            () ->
                client.reEncrypt(
                    b -> b.ciphertextBlob(blob).sourceKeyId(dest).destinationKeyId(dest)))
        .isInstanceOf(IncorrectKeyException.class);
  }

  @Test
  void encrypt_plaintextOver4096Bytes_isValidationException() {
    assertThatThrownBy(
            () ->
                client.encrypt(
                    b -> b.keyId(keyId).plaintext(SdkBytes.fromByteArray(new byte[4097]))))
        .satisfies(t -> assertThat(code(t)).isEqualTo("ValidationException"));
  }

  @Test
  void dryRun_thatWouldSucceed_isDryRunOperationException() {
    assertThatThrownBy(() -> client.encrypt(b -> b.keyId(keyId).plaintext(bytes("x")).dryRun(true)))
        .isInstanceOf(DryRunOperationException.class);
  }

  @Test
  void signVerify_eccP256AndP384_rawAndDigest() throws Exception {
    for (KeySpec spec : new KeySpec[] {KeySpec.ECC_NIST_P256, KeySpec.ECC_NIST_P384}) {
      String id =
          client
              .createKey(b -> b.keySpec(spec).keyUsage(KeyUsageType.SIGN_VERIFY))
              .keyMetadata()
              .keyId();
      SigningAlgorithmSpec alg =
          spec == KeySpec.ECC_NIST_P256
              ? SigningAlgorithmSpec.ECDSA_SHA_256
              : SigningAlgorithmSpec.ECDSA_SHA_384;
      String jca = spec == KeySpec.ECC_NIST_P256 ? "SHA256withECDSA" : "SHA384withECDSA";
      byte[] message = "sign me".getBytes(StandardCharsets.UTF_8);
      SignResponse s =
          client.sign(
              b -> b.keyId(id).message(SdkBytes.fromByteArray(message)).signingAlgorithm(alg));
      assertThat(s.keyId()).isEqualTo(kms.keyArn(REGION, id));

      // The public key and DER signature verify with plain JCA, as with real KMS.
      GetPublicKeyResponse pk = client.getPublicKey(b -> b.keyId(id));
      assertThat(pk.keyId()).isEqualTo(kms.keyArn(REGION, id));
      assertThat(pk.signingAlgorithms()).containsExactly(alg);
      PublicKey pub =
          KeyFactory.getInstance("EC")
              .generatePublic(new X509EncodedKeySpec(pk.publicKey().asByteArray()));
      assertThat(pub).isInstanceOf(ECPublicKey.class);
      Signature v = Signature.getInstance(jca);
      v.initVerify(pub);
      v.update(message);
      assertThat(v.verify(s.signature().asByteArray())).isTrue();

      assertThat(
              client
                  .verify(
                      b ->
                          b.keyId(id)
                              .message(SdkBytes.fromByteArray(message))
                              .signature(s.signature())
                              .signingAlgorithm(alg))
                  .signatureValid())
          .isTrue();

      byte[] digest =
          MessageDigest.getInstance(spec == KeySpec.ECC_NIST_P256 ? "SHA-256" : "SHA-384")
              .digest(message);
      SignResponse ds =
          client.sign(
              b ->
                  b.keyId(id)
                      .message(SdkBytes.fromByteArray(digest))
                      .messageType(MessageType.DIGEST)
                      .signingAlgorithm(alg));
      v.initVerify(pub);
      v.update(message);
      assertThat(v.verify(ds.signature().asByteArray())).isTrue();
    }
  }

  @Test
  void verify_badSignature_isKmsInvalidSignature() {
    String id =
        client
            .createKey(b -> b.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY))
            .keyMetadata()
            .keyId();
    SdkBytes sig =
        client
            .sign(
                b ->
                    b.keyId(id)
                        .message(bytes("a"))
                        .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256))
            .signature();
    assertThatThrownBy(
            () ->
                client.verify(
                    b ->
                        b.keyId(id)
                            .message(bytes("b"))
                            .signature(sig)
                            .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)))
        .isInstanceOf(KmsInvalidSignatureException.class)
        .satisfies(t -> assertThat(status(t)).isEqualTo(400));
    assertThatThrownBy(
            () ->
                client.verify(
                    b ->
                        b.keyId(id)
                            .message(bytes("a"))
                            .signature(bytes("garbage"))
                            .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)))
        .isInstanceOf(KmsInvalidSignatureException.class);
  }

  @Test
  void sign_wrongAlgorithmDigestLengthOrUsage_fails() {
    String id =
        client
            .createKey(b -> b.keySpec(KeySpec.ECC_NIST_P256).keyUsage(KeyUsageType.SIGN_VERIFY))
            .keyMetadata()
            .keyId();
    assertThatThrownBy(
            () ->
                client.sign(
                    b ->
                        b.keyId(id)
                            .message(bytes("a"))
                            .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_384)))
        .isInstanceOf(InvalidKeyUsageException.class);
    assertThatThrownBy(
            () ->
                client.sign(
                    b ->
                        b.keyId(id)
                            .message(bytes("short"))
                            .messageType(MessageType.DIGEST)
                            .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)))
        .satisfies(t -> assertThat(code(t)).isEqualTo("ValidationException"))
        .hasMessageContaining("Digest is invalid length");
    assertThatThrownBy(() -> client.encrypt(b -> b.keyId(id).plaintext(bytes("x"))))
        .isInstanceOf(InvalidKeyUsageException.class);
    assertThatThrownBy(
            () ->
                client.sign(
                    b ->
                        b.keyId(keyId)
                            .message(bytes("a"))
                            .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)))
        .isInstanceOf(InvalidKeyUsageException.class);
    assertThatThrownBy(() -> client.getPublicKey(b -> b.keyId(keyId)))
        .satisfies(t -> assertThat(code(t)).isEqualTo("UnsupportedOperationException"));
  }

  @Test
  void missingRequiredMember_isValidationException() {
    assertThatThrownBy(() -> client.encrypt(b -> b.keyId(keyId)))
        .isInstanceOf(KmsException.class)
        .satisfies(t -> assertThat(code(t)).isEqualTo("ValidationException"))
        .satisfies(t -> assertThat(status(t)).isEqualTo(400))
        .hasMessageContaining("plaintext");
    assertThatThrownBy(() -> client.decrypt(b -> {}))
        .satisfies(t -> assertThat(code(t)).isEqualTo("ValidationException"));
    assertThatThrownBy(() -> client.sign(b -> b.keyId(keyId).message(bytes("a"))))
        .satisfies(t -> assertThat(code(t)).isEqualTo("ValidationException"));
  }
}
