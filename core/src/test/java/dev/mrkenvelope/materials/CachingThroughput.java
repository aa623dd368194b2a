package dev.mrkenvelope.materials;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CryptoAlgorithm;
import com.amazonaws.encryptionsdk.caching.CachingCryptoMaterialsManager;
import com.amazonaws.encryptionsdk.caching.LocalCryptoMaterialsCache;
import com.amazonaws.encryptionsdk.jce.JceMasterKey;
import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.EnvelopeClient;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import javax.crypto.spec.SecretKeySpec;

/**
 * A simple single-thread throughput measurement of the cached hot path: 1 KiB encrypt followed by
 * decrypt of the result, with the data key served from a {@link CachingMaterialsManager} on both
 * sides, next to the uncached path and ESDK-Java's legacy caching CMM; and the keyring calls per
 * million messages for three limit settings. Not JMH (the formal benchmark belongs to the
 * benchmarks module): each case warms up, then counts completed encrypt+decrypt pairs for a fixed
 * time.
 *
 * <p>Run from the repository root (offline; runs inside the Maven JVM):
 *
 * <pre>
 * mvn -o -q -pl core test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.mrkenvelope.materials.CachingThroughput -Dexec.args="3 5"
 * </pre>
 *
 * Arguments: warm-up seconds and measured seconds per case. The numbers only mean something on an
 * otherwise idle machine.
 */
public final class CachingThroughput {
  static final Map<String, String> EC = Map.of("tenant", "acme", "purpose", "bench");

  private CachingThroughput() {}

  public static void main(String[] args) {
    double warmup = args.length > 0 ? Double.parseDouble(args[0]) : 3;
    double measure = args.length > 1 ? Double.parseDouble(args[1]) : 5;
    System.out.println(String.join(System.lineSeparator(), run(warmup, measure)));
    System.out.println("keyring calls per 1,000,000 encrypts of 1 KiB (manager driven directly):");
    System.out.println("  maxMessagesPerKey=1000:          " + keyringCallsPerMillion(1000, Long.MAX_VALUE));
    System.out.println("  maxMessagesPerKey=100:           " + keyringCallsPerMillion(100, Long.MAX_VALUE));
    System.out.println("  maxBytesPerKey=1 MiB:            " + keyringCallsPerMillion(1L << 32, 1 << 20));
  }

  static int keyringCallsPerMillion(long maxMessages, long maxBytes) {
    CountingKeyring keyring = new CountingKeyring();
    CachingMaterialsManager m =
        CachingMaterialsManager.builder()
            .keyring(keyring)
            .maxAge(Duration.ofMinutes(5))
            .maxMessagesPerKey(maxMessages)
            .maxBytesPerKey(maxBytes)
            .build();
    EncryptionMaterialsRequest r =
        EncryptionMaterialsRequest.builder()
            .encryptionContext(EC)
            .algorithmSuite(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
            .plaintextLength(1024)
            .build();
    for (int i = 0; i < 1_000_000; i++) {
      m.getEncryptionMaterials(r);
    }
    return keyring.encryptCalls.get();
  }

  /** Runs every case and returns one line per case. */
  static String[] run(double warmupSeconds, double measureSeconds) {
    byte[] plaintext = new byte[1024];
    Arrays.fill(plaintext, (byte) 'x');
    return new String[] {
      "java " + System.getProperty("java.version") + ", " + Runtime.getRuntime().availableProcessors()
          + " CPUs; 1 KiB encrypt+decrypt pairs, single thread",
      measure("CachingMaterialsManager.getEncryptionMaterials, hit", warmupSeconds, measureSeconds,
          managerHit()),
      measure("mrk-envelope cached, 0x0478", warmupSeconds, measureSeconds,
          pair(ours(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, true), plaintext)),
      measure("mrk-envelope cached, 0x0578 (ECDSA P-384)", warmupSeconds, measureSeconds,
          pair(ours(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, true), plaintext)),
      measure("mrk-envelope uncached raw AES keyring, 0x0478", warmupSeconds, measureSeconds,
          pair(ours(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, false), plaintext)),
      measure("ESDK-Java 3.0.2 cached (legacy caching CMM, JceMasterKey), 0x0478", warmupSeconds,
          measureSeconds, esdkPair(plaintext)),
    };
  }

  static EnvelopeClient ours(AlgorithmSuite suite, boolean cached) {
    EnvelopeClient.Builder b = EnvelopeClient.builder().algorithmSuite(suite);
    CountingKeyring keyring = new CountingKeyring();
    if (cached) {
      b.materialsManager(
          CachingMaterialsManager.builder()
              .keyring(keyring)
              .maxAge(Duration.ofMinutes(5))
              .maxMessagesPerKey(1_000_000)
              .build());
    } else {
      b.keyring(keyring);
    }
    return b.build();
  }

  static IntSupplier managerHit() {
    CachingMaterialsManager m =
        CachingMaterialsManager.builder()
            .keyring(new CountingKeyring())
            .maxAge(Duration.ofMinutes(5))
            .build();
    EncryptionMaterialsRequest r =
        EncryptionMaterialsRequest.builder()
            .encryptionContext(EC)
            .algorithmSuite(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
            .plaintextLength(1024)
            .build();
    return () -> m.getEncryptionMaterials(r).encryptedDataKeys().size();
  }

  static IntSupplier pair(EnvelopeClient client, byte[] plaintext) {
    return () -> client.decrypt(client.encrypt(plaintext, EC).ciphertext()).plaintext().length;
  }

  static IntSupplier esdkPair(byte[] plaintext) {
    JceMasterKey key =
        JceMasterKey.getInstance(
            new SecretKeySpec(CountingKeyring.WRAPPING_KEY, "AES"), "bench", "key", "AES/GCM/NoPadding");
    CachingCryptoMaterialsManager cmm =
        CachingCryptoMaterialsManager.newBuilder()
            .withMasterKeyProvider(key)
            .withCache(new LocalCryptoMaterialsCache(100))
            .withMaxAge(5, TimeUnit.MINUTES)
            .withMessageUseLimit(1_000_000)
            .build();
    AwsCrypto crypto =
        AwsCrypto.builder()
            .withCommitmentPolicy(com.amazonaws.encryptionsdk.CommitmentPolicy.RequireEncryptRequireDecrypt)
            .withEncryptionAlgorithm(CryptoAlgorithm.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
            .build();
    return () -> crypto.decryptData(cmm, crypto.encryptData(cmm, plaintext, EC).getResult()).getResult().length;
  }

  static String measure(String name, double warmupSeconds, double measureSeconds, IntSupplier op) {
    long sink = 0;
    long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
    while (System.nanoTime() < warmupEnd) {
      sink += op.getAsInt();
    }
    long start = System.nanoTime();
    long end = start + (long) (measureSeconds * 1e9);
    long ops = 0;
    long t;
    do {
      for (int i = 0; i < 64; i++) {
        sink += op.getAsInt();
      }
      ops += 64;
      t = System.nanoTime();
    } while (t < end);
    double perSecond = ops / ((t - start) / 1e9);
    if (sink == 42) {
      System.out.print("");
    }
    return String.format(Locale.ROOT, "%-70s %,10.0f ops/s  (%.1f us/op)", name, perSecond, 1e6 / perSecond);
  }
}
