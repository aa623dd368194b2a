package dev.mrkenvelope.keyring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CommitmentPolicy;
import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.Test;
import software.amazon.cryptography.materialproviders.IKeyring;
import software.amazon.cryptography.materialproviders.MaterialProviders;
import software.amazon.cryptography.materialproviders.model.CreateRawRsaKeyringInput;
import software.amazon.cryptography.materialproviders.model.MaterialProvidersConfig;
import software.amazon.cryptography.materialproviders.model.PaddingScheme;

/**
 * PEM keys for {@link RawRsaKeyring}: a key pair made by the plain JCA, written as PEM the way
 * OpenSSL does (Base64 of {@code getEncoded()}, 64 columns), read by the keyring, and checked
 * against the JCA key objects and against ESDK-Java 3.0.2's raw RSA keyring, which loads the same
 * PEM text.
 */
class RawRsaKeyringPemTest {
  static final KeyPair PAIR;

  static {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(2048);
      PAIR = g.generateKeyPair();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  static final String PUBLIC_PEM = pem("PUBLIC KEY", PAIR.getPublic().getEncoded());
  static final String PRIVATE_PEM = pem("PRIVATE KEY", PAIR.getPrivate().getEncoded());
  static final Map<String, String> EC = Map.of("purpose", "pem test");
  static final byte[] PLAINTEXT = "pem keys".getBytes(StandardCharsets.UTF_8);

  static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  static RawRsaKeyring.Builder builder() {
    return RawRsaKeyring.builder()
        .keyNamespace("pem-test")
        .keyName("rsa-2048")
        .padding(RsaPadding.OAEP_SHA256_MGF1);
  }

  static EnvelopeClient client(RawRsaKeyring k) {
    return EnvelopeClient.builder().keyring(k).build();
  }

  static IKeyring esdkKeyring() {
    return MaterialProviders.builder()
        .MaterialProvidersConfig(MaterialProvidersConfig.builder().build())
        .build()
        .CreateRawRsaKeyring(
            CreateRawRsaKeyringInput.builder()
                .keyNamespace("pem-test")
                .keyName("rsa-2048")
                .paddingScheme(PaddingScheme.OAEP_SHA256_MGF1)
                .publicKey(ByteBuffer.wrap(PUBLIC_PEM.getBytes(StandardCharsets.UTF_8)))
                .privateKey(ByteBuffer.wrap(PRIVATE_PEM.getBytes(StandardCharsets.UTF_8)))
                .build());
  }

  static final AwsCrypto ESDK =
      AwsCrypto.builder()
          .withCommitmentPolicy(CommitmentPolicy.RequireEncryptRequireDecrypt)
          .build();

  static Cipher oaep256(int mode, java.security.Key key) throws Exception {
    Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding");
    c.init(
        mode,
        key,
        new OAEPParameterSpec(
            "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
    return c;
  }

  @Test
  void pemKeys_wrapAndUnwrapExactlyAsTheJcaKeysTheyWereWrittenFrom() throws Exception {
    RawRsaKeyring k = builder().publicKeyPem(PUBLIC_PEM).privateKeyPem(PRIVATE_PEM).build();
    AlgorithmSuite suite = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;

    // Wrapped with the PEM public key, unwrapped by the JCA private key object.
    EncryptionMaterials m = k.onEncrypt(EncryptionMaterials.create(suite, EC, Set.of(), null));
    byte[] unwrappedByJca =
        oaep256(Cipher.DECRYPT_MODE, PAIR.getPrivate())
            .doFinal(m.encryptedDataKeys().get(0).ciphertext());
    assertThat(unwrappedByJca).isEqualTo(m.plaintextDataKey().orElseThrow());

    // Wrapped by the JCA public key object, unwrapped with the PEM private key.
    byte[] dataKey = new byte[32];
    Arrays.fill(dataKey, (byte) 7);
    byte[] wrappedByJca = oaep256(Cipher.ENCRYPT_MODE, PAIR.getPublic()).doFinal(dataKey);
    DecryptionMaterials d =
        k.onDecrypt(
            DecryptionMaterials.create(suite, EC, Set.of(), null),
            List.of(
                EncryptedDataKey.of(
                    "pem-test", "rsa-2048".getBytes(StandardCharsets.UTF_8), wrappedByJca)));
    assertThat(d.plaintextDataKey().orElseThrow()).isEqualTo(dataKey);
  }

  @Test
  void pemKeyring_andJcaKeyring_decryptEachOthersMessages() {
    RawRsaKeyring fromPem = builder().publicKeyPem(PUBLIC_PEM).privateKeyPem(PRIVATE_PEM).build();
    RawRsaKeyring fromJca =
        builder().publicKey(PAIR.getPublic()).privateKey(PAIR.getPrivate()).build();

    byte[] byPem = client(fromPem).encrypt(PLAINTEXT, EC).ciphertext();
    byte[] byJca = client(fromJca).encrypt(PLAINTEXT, EC).ciphertext();

    assertThat(client(fromJca).decrypt(byPem).plaintext()).isEqualTo(PLAINTEXT);
    assertThat(client(fromPem).decrypt(byJca).plaintext()).isEqualTo(PLAINTEXT);
  }

  @Test
  void pemKeyring_interoperatesWithEsdkRawRsaKeyringOnTheSamePem() {
    RawRsaKeyring ours = builder().publicKeyPem(PUBLIC_PEM).privateKeyPem(PRIVATE_PEM).build();

    byte[] esdkMessage = ESDK.encryptData(esdkKeyring(), PLAINTEXT, EC).getResult();
    byte[] ourMessage = client(ours).encrypt(PLAINTEXT, EC).ciphertext();

    assertThat(client(ours).decrypt(esdkMessage).plaintext()).isEqualTo(PLAINTEXT);
    assertThat(ESDK.decryptData(esdkKeyring(), ourMessage).getResult()).isEqualTo(PLAINTEXT);
  }

  @Test
  void pemWithSurroundingTextAndCrlf_isAccepted() {
    String messy = "key for prod\r\n" + PRIVATE_PEM.replace("\n", "\r\n") + "trailing";
    RawRsaKeyring decryptOnly = builder().privateKeyPem(messy).build();
    byte[] ct =
        client(builder().publicKeyPem(PUBLIC_PEM).build()).encrypt(PLAINTEXT, EC).ciphertext();

    assertThat(client(decryptOnly).decrypt(ct).plaintext()).isEqualTo(PLAINTEXT);
  }

  @Test
  void wrongPemTypes_failWithHowToConvert() {
    assertThatThrownBy(() -> builder().privateKeyPem(pem("RSA PRIVATE KEY", new byte[] {1, 2})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("PKCS #1")
        .hasMessageContaining("openssl pkcs8 -topk8");
    assertThatThrownBy(() -> builder().privateKeyPem(pem("ENCRYPTED PRIVATE KEY", new byte[] {1})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("encrypted PKCS #8");
    assertThatThrownBy(() -> builder().publicKeyPem(pem("RSA PUBLIC KEY", new byte[] {1})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-RSAPublicKey_in");
    assertThatThrownBy(() -> builder().publicKeyPem(PRIVATE_PEM))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-----BEGIN PUBLIC KEY-----");
  }

  @Test
  void pemOfAnotherAlgorithm_orGarbage_fails() throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(256);
    KeyPair ecPair = ec.generateKeyPair();

    assertThatThrownBy(
            () -> builder().publicKeyPem(pem("PUBLIC KEY", ecPair.getPublic().getEncoded())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("publicKeyPem is not an RSA SubjectPublicKeyInfo");
    assertThatThrownBy(
            () -> builder().privateKeyPem(pem("PRIVATE KEY", new byte[] {0x30, 0x03, 1, 2, 3})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("privateKeyPem is not an RSA PKCS #8 private key");
  }
}
