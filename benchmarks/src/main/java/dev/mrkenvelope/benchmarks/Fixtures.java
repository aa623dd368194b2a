package dev.mrkenvelope.benchmarks;

import com.amazonaws.encryptionsdk.CryptoAlgorithm;
import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.keyring.RawAesKeyring;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Random;
import software.amazon.cryptography.materialproviders.IKeyring;
import software.amazon.cryptography.materialproviders.MaterialProviders;
import software.amazon.cryptography.materialproviders.model.AesWrappingAlg;
import software.amazon.cryptography.materialproviders.model.CreateRawAesKeyringInput;
import software.amazon.cryptography.materialproviders.model.MaterialProvidersConfig;

/**
 * What every hot-path contender shares: the same wrapping key, key namespace and key name, the same
 * encryption context, the same frame length and the same plaintext bytes.
 */
final class Fixtures {
  static final String KEY_NAMESPACE = "mrk-envelope-bench";
  static final String KEY_NAME = "wrapping-key-1";
  static final int FRAME_LENGTH = 4096;

  /** One pair, as a typical caller would pass; the same map for every contender. */
  static final Map<String, String> CONTEXT = Map.of("purpose", "benchmark");

  private Fixtures() {}

  /** A fixed 256-bit wrapping key (benchmarks only; never a real key). */
  static byte[] wrappingKey() {
    byte[] k = new byte[32];
    for (int i = 0; i < k.length; i++) {
      k[i] = (byte) (0x40 + i);
    }
    return k;
  }

  /** Deterministic, incompressible-looking plaintext of {@code size} bytes. */
  static byte[] plaintext(int size) {
    byte[] p = new byte[size];
    new Random(42).nextBytes(p);
    return p;
  }

  /** "0x0478" or "0x0578", the benchmarks' {@code suite} parameter, as a core suite. */
  static AlgorithmSuite suite(String id) {
    switch (id) {
      case "0x0478":
        return AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
      case "0x0578":
        return AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384;
      default:
        throw new IllegalArgumentException("suite must be 0x0478 or 0x0578: " + id);
    }
  }

  /** The same suite as ESDK-Java names it. */
  static CryptoAlgorithm esdkSuite(String id) {
    switch (id) {
      case "0x0478":
        return CryptoAlgorithm.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY;
      case "0x0578":
        return CryptoAlgorithm.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384;
      default:
        throw new IllegalArgumentException("suite must be 0x0478 or 0x0578: " + id);
    }
  }

  static boolean signing(String id) {
    return suite(id).isSigning();
  }

  static RawAesKeyring rawAesKeyring() {
    return RawAesKeyring.builder()
        .keyNamespace(KEY_NAMESPACE)
        .keyName(KEY_NAME)
        .wrappingKey(wrappingKey())
        .build();
  }

  static MaterialProviders materialProviders() {
    return MaterialProviders.builder()
        .MaterialProvidersConfig(MaterialProvidersConfig.builder().build())
        .build();
  }

  /** ESDK's raw AES keyring with the same key, namespace and name (AES-256-GCM wrapping). */
  static IKeyring esdkRawAesKeyring() {
    return materialProviders()
        .CreateRawAesKeyring(
            CreateRawAesKeyringInput.builder()
                .keyNamespace(KEY_NAMESPACE)
                .keyName(KEY_NAME)
                .wrappingKey(ByteBuffer.wrap(wrappingKey()))
                .wrappingAlg(AesWrappingAlg.ALG_AES256_GCM_IV12_TAG16)
                .build());
  }
}
