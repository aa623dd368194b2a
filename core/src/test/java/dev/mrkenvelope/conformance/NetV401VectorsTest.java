package dev.mrkenvelope.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.DecryptResult;
import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.keyring.RawRsaKeyring;
import dev.mrkenvelope.keyring.RsaPadding;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * ESDK .NET 4.0.1 decrypt vectors ({@code v4-Net-4.0.1.zip}): all 11 suites, v1 and v2 headers,
 * frame length 512, Default and Required-Encryption-Context CMMs. Every raw AES and raw RSA vector
 * must decrypt to its plaintext; the AWS KMS vectors cannot run offline and are counted as skipped.
 * The expected counts are asserted so that no vector is skipped silently.
 */
class NetV401VectorsTest {
  private static final String ZIP = "v4-Net-4.0.1.zip";

  @TestFactory
  Stream<DynamicTest> rawKeyVectors_decryptToTheirPlaintext() {
    List<NetVectors.Vector> all = NetVectors.load(ZIP);
    List<NetVectors.Vector> offline =
        all.stream().filter(v -> v.kind() != NetVectors.Kind.AWS_KMS).collect(Collectors.toList());
    long aes = all.stream().filter(v -> v.kind() == NetVectors.Kind.RAW_AES).count();
    long rsa = all.stream().filter(v -> v.kind() == NetVectors.Kind.RAW_RSA).count();
    long kms = all.stream().filter(v -> v.kind() == NetVectors.Kind.AWS_KMS).count();
    assertThat(all).as("vectors in " + ZIP).hasSize(132);
    assertThat(aes).as("raw AES vectors").isEqualTo(33);
    assertThat(rsa).as("raw RSA vectors").isEqualTo(66);
    assertThat(kms).as("AWS KMS vectors").isEqualTo(33);

    AtomicInteger decrypted = new AtomicInteger();
    Set<AlgorithmSuite> suites = EnumSet.noneOf(AlgorithmSuite.class);
    Stream<DynamicTest> perVector =
        offline.stream()
            .map(
                v ->
                    dynamicTest(
                        v.kind() + " " + v.displayName(),
                        () -> {
                          DecryptResult d = NetVectors.decrypt(v, v.keyring());
                          assertDecryptedAsManifestSays(v, d);
                          suites.add(d.algorithmSuite());
                          decrypted.incrementAndGet();
                        }));
    DynamicTest summary =
        dynamicTest(
            "summary: 99 decrypted, 33 skipped (aws-kms)",
            () -> {
              System.out.printf(
                  "v4-Net-4.0.1: %d decrypted (%d raw AES, %d raw RSA), %d skipped (aws-kms, not"
                      + " offline), %d suites%n",
                  decrypted.get(), aes, rsa, kms, suites.size());
              assertThat(decrypted.get()).as("decrypted vectors").isEqualTo(99);
              assertThat(suites)
                  .as("suites covered")
                  .isEqualTo(EnumSet.allOf(AlgorithmSuite.class));
            });
    return Stream.concat(perVector, Stream.of(summary));
  }

  /**
   * The two-key RSA vectors also carry an EDK wrapped with {@code rsa-4096-public} using
   * OAEP-SHA256 (MGF1-SHA256). A keyring named {@code rsa-4096-public} that holds the matching
   * private key must unwrap it: this covers the OAEP hash/MGF1 pitfall (a known pitfall).
   */
  @TestFactory
  Stream<DynamicTest> rsaPublicKeyEdks_unwrapWithOaepSha256AndTheMatchingPrivateKey() {
    NetVectors.Manifest m = NetVectors.open(ZIP);
    List<NetVectors.Vector> twoKey =
        NetVectors.load(m).stream()
            .filter(v -> v.kind() == NetVectors.Kind.RAW_RSA)
            .filter(v -> m.manifest().get("tests").get(v.id()).get("master-keys").size() == 2)
            .collect(Collectors.toList());
    assertThat(twoKey).as("two-key RSA vectors").hasSize(33);
    Keyring publicNamed =
        RawRsaKeyring.builder()
            .keyNamespace(NetVectors.RAW_KEYS_PROVIDER_ID)
            .keyName("rsa-4096-public")
            .padding(RsaPadding.OAEP_SHA256_MGF1)
            .privateKey(
                EsdkVectors.rsaPrivateKey(EsdkVectors.material(m.keys().get("rsa-4096-private"))))
            .build();
    return twoKey.stream()
        .map(
            v ->
                dynamicTest(
                    v.displayName(),
                    () -> assertDecryptedAsManifestSays(v, NetVectors.decrypt(v, publicNamed))));
  }

  static void assertDecryptedAsManifestSays(NetVectors.Vector v, DecryptResult d) {
    assertThat(d.plaintext()).as("plaintext of " + v.id()).isEqualTo(v.expectedPlaintext());
    assertThat(d.algorithmSuite().id()).as("suite").isEqualTo(v.suiteIdFromName());
    assertThat(NetVectors.withoutPublicKey(d.encryptionContext()))
        .as("encryption context")
        .isEqualTo(v.encryptionContext());
    assertThat(d.encryptionContext().containsKey(NetVectors.AWS_CRYPTO_PUBLIC_KEY))
        .as("aws-crypto-public-key present iff the suite signs")
        .isEqualTo(d.algorithmSuite().isSigning());
  }
}
