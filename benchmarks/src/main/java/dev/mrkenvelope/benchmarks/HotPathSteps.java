package dev.mrkenvelope.benchmarks;

import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.CommitmentPolicy;
import dev.mrkenvelope.EncryptResult;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.materials.DecryptionMaterialsRequest;
import dev.mrkenvelope.materials.DefaultMaterialsManager;
import dev.mrkenvelope.materials.EncryptionMaterialsRequest;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * P1 line by line: the 1 KiB 0x0478 round trip on JCA taken apart, mrk-envelope beside the floor
 * with wrap ({@link Floor}), each step timed on its own (µs per operation):
 *
 * <ul>
 *   <li>{@code mrkEncrypt} = {@code mrkEncryptionMaterials} (what the materials manager and the raw
 *       AES keyring do: data key, request and materials objects, context serialization, key wrap) +
 *       the message format; the floor's counterparts are {@code floorWrap} and {@code floorSeal};
 *   <li>{@code mrkDecrypt} = parsing + {@code mrkDecryptionMaterials} (request, materials, key
 *       unwrap) + the message format; the floor's are {@code floorUnwrap} and {@code floorOpen}.
 * </ul>
 *
 * <p>Run alone: {@code java -jar benchmarks/target/benchmarks.jar HotPathSteps}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathSteps {
  static final int SIZE = 1024;
  static final String SUITE = "0x0478";

  @State(Scope.Thread)
  public static class Mrk {
    byte[] plaintext = Fixtures.plaintext(SIZE);
    EnvelopeClient client;
    DefaultMaterialsManager cmm;
    AlgorithmSuite suite = Fixtures.suite(SUITE);
    EncryptResult message;

    @Setup(Level.Trial)
    public void setUp() {
      cmm = DefaultMaterialsManager.create(Fixtures.rawAesKeyring());
      client =
          EnvelopeClient.builder()
              .materialsManager(cmm)
              .algorithmSuite(suite)
              .frameLength(Fixtures.FRAME_LENGTH)
              .build();
      message = client.encrypt(plaintext, Fixtures.CONTEXT);
      HotPathBenchmark.check(
          Arrays.equals(client.decrypt(message.ciphertext()).plaintext(), plaintext),
          "mrk-envelope round trip");
    }
  }

  @State(Scope.Thread)
  public static class JcaFloor {
    byte[] plaintext = Fixtures.plaintext(SIZE);
    Floor floor;
    int length;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
      EnvelopeClient mrk =
          EnvelopeClient.builder()
              .keyring(Fixtures.rawAesKeyring())
              .algorithmSuite(Fixtures.suite(SUITE))
              .frameLength(Fixtures.FRAME_LENGTH)
              .build();
      byte[] real = mrk.encrypt(plaintext, Fixtures.CONTEXT).ciphertext();
      floor =
          new Floor(
              Arrays.copyOf(real, Floor.v2HeaderLength(real)),
              Fixtures.FRAME_LENGTH,
              false,
              Fixtures.wrappingKey(),
              Fixtures.CONTEXT);
      length = floor.sealWrapped(plaintext);
      HotPathBenchmark.check(
          Arrays.equals(floor.openWrapped(floor.message, length, null), plaintext),
          "floor round trip with key wrapping");
    }
  }

  @Benchmark
  public byte[] mrkEncrypt(Mrk s) {
    return s.client.encrypt(s.plaintext, Fixtures.CONTEXT).ciphertext();
  }

  @Benchmark
  public Object mrkEncryptionMaterials(Mrk s) {
    return s.cmm.getEncryptionMaterials(
        EncryptionMaterialsRequest.builder()
            .encryptionContext(Fixtures.CONTEXT)
            .algorithmSuite(s.suite)
            .commitmentPolicy(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
            .plaintextLength(SIZE)
            .build());
  }

  @Benchmark
  public byte[] mrkDecrypt(Mrk s) {
    return s.client.decrypt(s.message.ciphertext()).plaintext();
  }

  @Benchmark
  public Object mrkDecryptionMaterials(Mrk s) {
    return s.cmm.decryptMaterials(
        DecryptionMaterialsRequest.builder()
            .algorithmSuite(s.suite)
            .encryptedDataKeys(s.message.encryptedDataKeys())
            .encryptionContext(s.message.encryptionContext())
            .commitmentPolicy(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT)
            .build());
  }

  @Benchmark
  public int floorSeal(JcaFloor s) throws Exception {
    return s.floor.seal(s.plaintext);
  }

  @Benchmark
  public byte[] floorWrap(JcaFloor s) throws Exception {
    return s.floor.wrap();
  }

  @Benchmark
  public byte[] floorOpen(JcaFloor s) throws Exception {
    return s.floor.open(s.floor.message, s.length, s.floor.dataKey, null);
  }

  @Benchmark
  public byte[] floorUnwrap(JcaFloor s) throws Exception {
    return s.floor.unwrap();
  }
}
