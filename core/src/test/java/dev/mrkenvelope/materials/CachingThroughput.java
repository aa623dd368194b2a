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
    double measure = args.length > 1 ? Double.parseDouble(args[1]) : 3;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 5;
    System.out.println(String.join(System.lineSeparator(), run(warmup, measure, rounds)));
    System.out.println("keyring calls per 1,000,000 encrypts of 1 KiB (manager driven directly):");
    System.out.println(
        "  maxMessagesPerKey=1000:          " + keyringCallsPerMillion(1000, Long.MAX_VALUE));
    System.out.println(
        "  maxMessagesPerKey=100:           " + keyringCallsPerMillion(100, Long.MAX_VALUE));
    System.out.println(
        "  maxBytesPerKey=1 MiB:            " + keyringCallsPerMillion(1L << 32, 1 << 20));
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

  /**
   * Runs every case: one warm-up each, then {@code rounds} rounds that measure the cases in turn
   * (so background load hits all cases alike). Reports the best and the median round per case.
   */
  static String[] run(double warmupSeconds, double measureSeconds, int rounds) {
    byte[] plaintext = new byte[1024];
    Arrays.fill(plaintext, (byte) 'x');
    String[] names = {
      "CachingMaterialsManager.getEncryptionMaterials, hit",
      "mrk-envelope cached, 0x0478",
      "mrk-envelope cached, 0x0578 (ECDSA P-384)",
      "mrk-envelope uncached (raw AES keyring), 0x0478",
      "ESDK-Java 3.0.2 cached (legacy caching CMM, JceMasterKey), 0x0478",
    };
    IntSupplier[] ops = {
      managerHit(),
      pair(ours(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, true), plaintext),
      pair(ours(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY_ECDSA_P384, true), plaintext),
      pair(ours(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY, false), plaintext),
      esdkPair(plaintext),
    };
    double[][] results = new double[ops.length][rounds];
    for (IntSupplier op : ops) {
      opsPerSecond(op, warmupSeconds);
    }
    for (int r = 0; r < rounds; r++) {
      for (int i = 0; i < ops.length; i++) {
        results[i][r] = opsPerSecond(ops[i], measureSeconds);
      }
    }
    String[] lines = new String[ops.length + 1];
    lines[0] =
        "java "
            + System.getProperty("java.version")
            + ", "
            + Runtime.getRuntime().availableProcessors()
            + " CPUs, load average "
            + loadAverage()
            + "; single thread; 1 KiB encrypt+decrypt pairs (first line: one lookup); "
            + rounds
            + " rounds of "
            + measureSeconds
            + " s; best / median ops/s";
    for (int i = 0; i < ops.length; i++) {
      double[] r = results[i].clone();
      Arrays.sort(r);
      lines[i + 1] =
          String.format(
              Locale.ROOT,
              "%-68s %,10.0f / %,10.0f  (best %.1f us/op)",
              names[i],
              r[r.length - 1],
              r[r.length / 2],
              1e6 / r[r.length - 1]);
    }
    return lines;
  }

  static String loadAverage() {
    try {
      return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
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
            new SecretKeySpec(CountingKeyring.WRAPPING_KEY, "AES"),
            "bench",
            "key",
            "AES/GCM/NoPadding");
    CachingCryptoMaterialsManager cmm =
        CachingCryptoMaterialsManager.newBuilder()
            .withMasterKeyProvider(key)
            .withCache(new LocalCryptoMaterialsCache(100))
            .withMaxAge(5, TimeUnit.MINUTES)
            .withMessageUseLimit(1_000_000)
            .build();
    AwsCrypto crypto =
        AwsCrypto.builder()
            .withCommitmentPolicy(
                com.amazonaws.encryptionsdk.CommitmentPolicy.RequireEncryptRequireDecrypt)
            .withEncryptionAlgorithm(CryptoAlgorithm.ALG_AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
            .build();
    return () ->
        crypto
            .decryptData(cmm, crypto.encryptData(cmm, plaintext, EC).getResult())
            .getResult()
            .length;
  }

  /** Runs {@code op} for about {@code seconds} and returns completed operations per second. */
  static double opsPerSecond(IntSupplier op, double seconds) {
    long sink = 0;
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long ops = 0;
    long t;
    do {
      for (int i = 0; i < 16; i++) {
        sink += op.getAsInt();
      }
      ops += 16;
      t = System.nanoTime();
    } while (t < end);
    if (sink == 42) {
      System.out.print("");
    }
    return ops / ((t - start) / 1e9);
  }
}
