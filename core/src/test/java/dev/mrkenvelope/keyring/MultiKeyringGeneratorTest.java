package dev.mrkenvelope.keyring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.EncryptedDataKey;
import dev.mrkenvelope.EnvelopeException;
import dev.mrkenvelope.materials.DecryptionMaterials;
import dev.mrkenvelope.materials.EncryptionMaterials;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The multi-keyring's generator rules of the ESDK specification. */
class MultiKeyringGeneratorTest {
  static final AlgorithmSuite SUITE = AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;

  static RawAesKeyring aes(String name) {
    return RawAesKeyring.builder()
        .keyNamespace("multi-test")
        .keyName(name)
        .wrappingKey(name.repeat(32).substring(0, 32).getBytes(StandardCharsets.US_ASCII))
        .build();
  }

  static EncryptionMaterials fresh() {
    return EncryptionMaterials.create(SUITE, Map.of("a", "b"), Set.of(), null);
  }

  /** A "generator" that only adds an EDK, never a data key; counts its calls. */
  static final class NoKeyGenerator implements Keyring {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public EncryptionMaterials onEncrypt(EncryptionMaterials materials) {
      calls.incrementAndGet();
      return materials.withEncryptedDataKey(
          EncryptedDataKey.of("fake", new byte[] {1}, new byte[] {2}));
    }

    @Override
    public DecryptionMaterials onDecrypt(
        DecryptionMaterials materials, List<EncryptedDataKey> encryptedDataKeys) {
      return materials;
    }
  }

  @Test
  void generator_materialsAlreadyCarryADataKey_fails() {
    MultiKeyring multi = MultiKeyring.builder().generator(aes("g")).children(aes("c")).build();
    EncryptionMaterials withKey = aes("other").onEncrypt(fresh());

    assertThatThrownBy(() -> multi.onEncrypt(withKey))
        .isInstanceOf(EnvelopeException.class)
        .hasMessageContaining("already carry a plaintext data key")
        .hasMessageContaining("without generator(...)");
  }

  @Test
  void generatorReturnsNoDataKey_fails_childrenNeverGenerateIt() {
    NoKeyGenerator generator = new NoKeyGenerator();
    MultiKeyring multi = MultiKeyring.builder().generator(generator).children(aes("c")).build();

    assertThatThrownBy(() -> multi.onEncrypt(fresh()))
        .isInstanceOf(EnvelopeException.class)
        .hasMessageContaining("returned materials without a plaintext data key");
    assertThat(generator.calls).hasValue(1);
  }

  @Test
  void generatorAndChildren_everyKeyringWrapsTheGeneratorsKey() {
    RawAesKeyring g = aes("g");
    RawAesKeyring c = aes("c");
    EncryptionMaterials m =
        MultiKeyring.builder().generator(g).children(c).build().onEncrypt(fresh());

    assertThat(m.encryptedDataKeys()).hasSize(2);
    DecryptionMaterials start = DecryptionMaterials.create(SUITE, Map.of("a", "b"), Set.of(), null);
    byte[] viaChild = c.onDecrypt(start, m.encryptedDataKeys()).plaintextDataKey().orElseThrow();
    byte[] viaGenerator =
        g.onDecrypt(start, m.encryptedDataKeys()).plaintextDataKey().orElseThrow();
    assertThat(viaChild).isEqualTo(viaGenerator).isEqualTo(m.plaintextDataKey().orElseThrow());
  }

  @Test
  void noGenerator_wrapsTheGivenDataKey_andFailsWithoutOne() {
    MultiKeyring childrenOnly = MultiKeyring.builder().children(aes("c1"), aes("c2")).build();
    EncryptionMaterials withKey = aes("g").onEncrypt(fresh());

    EncryptionMaterials m = childrenOnly.onEncrypt(withKey);

    assertThat(m.encryptedDataKeys()).hasSize(3);
    assertThat(m.plaintextDataKey().orElseThrow())
        .isEqualTo(withKey.plaintextDataKey().orElseThrow());
    assertThatThrownBy(() -> childrenOnly.onEncrypt(fresh()))
        .isInstanceOf(EnvelopeException.class)
        .hasMessageContaining("no generator");
  }
}
