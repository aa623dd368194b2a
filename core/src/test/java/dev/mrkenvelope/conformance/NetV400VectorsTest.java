package dev.mrkenvelope.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.mrkenvelope.DecryptionFailedException;
import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.EnvelopeException;
import dev.mrkenvelope.NoDecryptableKeyException;
import dev.mrkenvelope.keyring.Keyring;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * ESDK .NET 4.0.0 vectors. {@code valid-Net-4.0.0.zip}: 5 raw AES vectors of the
 * Required-Encryption-Context CMM, which decrypt with the manifest's context as the reproduced
 * context. {@code invalid-Net-4.0.0.zip}: 28 raw AES vectors written by the buggy .NET 4.0.0 (two
 * extra bytes in the header-auth AAD; v1 HKDF info without the message ID). Their manifest claims
 * success, but a spec-compliant reader must reject every one.
 */
class NetV400VectorsTest {

  @TestFactory
  Stream<DynamicTest> validNet400Vectors_decryptWithTheReproducedContext() {
    List<NetVectors.Vector> all = NetVectors.load("valid-Net-4.0.0.zip");
    assertThat(all).as("vectors in valid-Net-4.0.0.zip").hasSize(5);
    assertThat(all).allMatch(v -> v.kind() == NetVectors.Kind.RAW_AES && v.requiredContextCmm());
    AtomicInteger decrypted = new AtomicInteger();
    Stream<DynamicTest> perVector =
        all.stream()
            .map(
                v ->
                    dynamicTest(
                        v.displayName(),
                        () -> {
                          NetV401VectorsTest.assertDecryptedAsManifestSays(
                              v, NetVectors.decrypt(v, v.keyring()));
                          // The required pairs are authenticated but not stored: without the
                          // reproduced context the message must not decrypt.
                          assertThatThrownBy(
                                  () -> NetVectors.client(v.keyring()).decrypt(v.ciphertext()))
                              .isInstanceOf(EnvelopeException.class);
                          decrypted.incrementAndGet();
                        }));
    DynamicTest summary =
        dynamicTest(
            "summary: 5 decrypted",
            () -> {
              System.out.printf("valid-Net-4.0.0: %d decrypted, 0 skipped%n", decrypted.get());
              assertThat(decrypted.get()).as("decrypted vectors").isEqualTo(5);
            });
    return Stream.concat(perVector, Stream.of(summary));
  }

  @TestFactory
  Stream<DynamicTest> invalidNet400Vectors_areRejectedAfterTheDataKeyUnwraps() {
    List<NetVectors.Vector> all = NetVectors.load("invalid-Net-4.0.0.zip");
    assertThat(all).as("vectors in invalid-Net-4.0.0.zip").hasSize(28);
    assertThat(all).allMatch(v -> v.kind() == NetVectors.Kind.RAW_AES);
    AtomicInteger rejected = new AtomicInteger();
    Stream<DynamicTest> perVector =
        all.stream()
            .map(
                v ->
                    dynamicTest(
                        v.cmm() + " " + v.displayName(),
                        () -> {
                          RecordingKeyring keyring = new RecordingKeyring(v.keyring());
                          assertThatThrownBy(() -> NetVectors.decrypt(v, keyring))
                              .isInstanceOf(DecryptionFailedException.class)
                              .isNotInstanceOf(NoDecryptableKeyException.class);
                          // The wrapped key itself is fine: the rejection comes from the header
                          // tag / key derivation, i.e. from the .NET 4.0.0 bugs.
                          assertThat(keyring.unwrapped.get())
                              .as("data key unwrapped before rejection")
                              .isEqualTo(1);
                          rejected.incrementAndGet();
                        }));
    DynamicTest summary =
        dynamicTest(
            "summary: 28 rejected",
            () -> {
              System.out.printf(
                  "invalid-Net-4.0.0: %d rejected with DecryptionFailedException, 0 skipped%n",
                  rejected.get());
              assertThat(rejected.get()).as("rejected vectors").isEqualTo(28);
            });
    return Stream.concat(perVector, Stream.of(summary));
  }

  /** Delegates to a keyring and counts the data keys it unwrapped. */
  static final class RecordingKeyring implements Keyring {
    final Keyring delegate;
    final AtomicInteger unwrapped = new AtomicInteger();

    RecordingKeyring(Keyring delegate) {
      this.delegate = delegate;
    }

    @Override
    public EncryptionMaterials onEncrypt(EncryptionMaterials materials) {
      return delegate.onEncrypt(materials);
    }

    @Override
    public DecryptionMaterials onDecrypt(
        DecryptionMaterials materials, List<EncryptedDataKey> encryptedDataKeys) {
      DecryptionMaterials result = delegate.onDecrypt(materials, encryptedDataKeys);
      if (result.hasPlaintextDataKey()) {
        unwrapped.incrementAndGet();
      }
      return result;
    }
  }
}
