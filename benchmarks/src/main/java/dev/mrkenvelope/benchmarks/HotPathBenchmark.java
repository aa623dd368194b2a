package dev.mrkenvelope.benchmarks;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CommitmentPolicy;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.testkit.CapturingKeyring;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import software.amazon.cryptography.materialproviders.IKeyring;

/**
 * P1, P2, P6: one encrypt + decrypt round trip per operation, raw AES keyring, frame length 4096,
 * for mrk-envelope, ESDK-Java 3.0.2, the raw-JCA {@link Floor} (format only) and the floor with the
 * raw-AES key wrap ({@code floorWithWrap}), each on the JDK's providers and on ACCP. Same wrapping
 * key, namespace, name, encryption context, suite, frame length and plaintext for all three.
 *
 * <p>Run alone: {@code java -jar benchmarks/target/benchmarks.jar HotPathBenchmark}; one size:
 * {@code ... HotPathBenchmark -p size=1024 -p suite=0x0478}. The whole suite and the report: {@code
 * benchmarks/run.sh}.
 *
 * <p>Each contender's set-up checks it is measuring real work: mrk-envelope and ESDK round-trip the
 * plaintext and read each other's ciphertext; the floor decrypts a message mrk-envelope wrote
 * (given the data key) and its messages have the library's length.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 6, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathBenchmark {

  /** The parameters, shared by the contenders' states. */
  @State(Scope.Thread)
  public static class Input {
    @Param({"1024", "1048576"})
    public int size;

    @Param({"0x0478", "0x0578"})
    public String suite;

    /** JCA: the JDK's providers. ACCP: the Amazon Corretto Crypto Provider installed first. */
    @Param({"JCA", "ACCP"})
    public String provider;

    byte[] plaintext;

    @Setup(Level.Trial)
    public void setUp() {
      // Each parameter set runs in its own fork, so installing ACCP here affects only its rows.
      Providers.use(provider);
      plaintext = Fixtures.plaintext(size);
    }
  }

  @State(Scope.Thread)
  public static class MrkEnvelope {
    EnvelopeClient client;

    @Setup(Level.Trial)
    public void setUp(Input in) {
      client =
          EnvelopeClient.builder()
              .keyring(Fixtures.rawAesKeyring())
              .algorithmSuite(Fixtures.suite(in.suite))
              .frameLength(Fixtures.FRAME_LENGTH)
              .build();
      byte[] ct = client.encrypt(in.plaintext, Fixtures.CONTEXT).ciphertext();
      check(Arrays.equals(client.decrypt(ct).plaintext(), in.plaintext), "mrk-envelope round trip");
    }
  }

  @State(Scope.Thread)
  public static class Esdk {
    AwsCrypto crypto;
    IKeyring keyring;

    @Setup(Level.Trial)
    public void setUp(Input in) {
      crypto =
          AwsCrypto.builder()
              .withCommitmentPolicy(CommitmentPolicy.RequireEncryptRequireDecrypt)
              .withEncryptionAlgorithm(Fixtures.esdkSuite(in.suite))
              .withEncryptionFrameSize(Fixtures.FRAME_LENGTH)
              .build();
      keyring = Fixtures.esdkRawAesKeyring();
      byte[] ct = crypto.encryptData(keyring, in.plaintext, Fixtures.CONTEXT).getResult();
      check(
          Arrays.equals(crypto.decryptData(keyring, ct).getResult(), in.plaintext),
          "ESDK round trip");
      // Same format, same keyring: each reads the other's messages.
      EnvelopeClient mrk =
          EnvelopeClient.builder()
              .keyring(Fixtures.rawAesKeyring())
              .algorithmSuite(Fixtures.suite(in.suite))
              .build();
      check(Arrays.equals(mrk.decrypt(ct).plaintext(), in.plaintext), "mrk-envelope reads ESDK");
      byte[] mine = mrk.encrypt(in.plaintext, Fixtures.CONTEXT).ciphertext();
      check(
          Arrays.equals(crypto.decryptData(keyring, mine).getResult(), in.plaintext),
          "ESDK reads mrk-envelope");
    }
  }

  @State(Scope.Thread)
  public static class JcaFloor {
    Floor floor;

    @Setup(Level.Trial)
    public void setUp(Input in) throws Exception {
      CapturingKeyring capture = CapturingKeyring.capturing(Fixtures.rawAesKeyring());
      EnvelopeClient mrk =
          EnvelopeClient.builder()
              .keyring(capture)
              .algorithmSuite(Fixtures.suite(in.suite))
              .frameLength(Fixtures.FRAME_LENGTH)
              .build();
      byte[] real = mrk.encrypt(in.plaintext, Fixtures.CONTEXT).ciphertext();
      mrk.decrypt(real); // captures the data key and the verification key
      int headerLength = Floor.v2HeaderLength(real);
      floor =
          new Floor(
              Arrays.copyOf(real, headerLength),
              Fixtures.FRAME_LENGTH,
              Fixtures.signing(in.suite),
              Fixtures.wrappingKey(),
              Fixtures.CONTEXT);
      // The floor does the library's cryptography on the library's bytes ...
      byte[] viaFloor =
          floor.open(
              real,
              real.length,
              capture.lastDataKey().orElseThrow(),
              capture.lastVerificationKey().orElse(null));
      check(Arrays.equals(viaFloor, in.plaintext), "floor decrypts an mrk-envelope message");
      // ... and writes messages of the same size (the signature may differ by a byte or two).
      int n = floor.seal(in.plaintext);
      check(Math.abs(n - real.length) <= 2, "floor message length " + n + " vs " + real.length);
      byte[] back = floor.open(floor.message, n, floor.dataKey, floor.verificationKey);
      check(Arrays.equals(back, in.plaintext), "floor round trip");
      n = floor.sealWrapped(in.plaintext);
      back = floor.openWrapped(floor.message, n, floor.verificationKey);
      check(Arrays.equals(back, in.plaintext), "floor round trip with key wrapping");
    }
  }

  @Benchmark
  public void mrkEnvelope(Input in, MrkEnvelope s, Blackhole bh) {
    bh.consume(roundTrip(in, s));
  }

  /** One mrk-envelope round trip; shared with {@link PairedRatioBenchmark}. */
  static byte[] roundTrip(Input in, MrkEnvelope s) {
    byte[] ct = s.client.encrypt(in.plaintext, Fixtures.CONTEXT).ciphertext();
    return s.client.decrypt(ct).plaintext();
  }

  @Benchmark
  public void esdk(Input in, Esdk s, Blackhole bh) {
    byte[] ct = s.crypto.encryptData(s.keyring, in.plaintext, Fixtures.CONTEXT).getResult();
    bh.consume(s.crypto.decryptData(s.keyring, ct).getResult());
  }

  @Benchmark
  public void floor(Input in, JcaFloor s, Blackhole bh) throws Exception {
    bh.consume(floorRoundTrip(in, s));
  }

  @Benchmark
  public void floorWithWrap(Input in, JcaFloor s, Blackhole bh) throws Exception {
    bh.consume(floorWithWrapRoundTrip(in, s));
  }

  /** One round trip of the format-only floor; shared with {@link PairedRatioBenchmark}. */
  static byte[] floorRoundTrip(Input in, JcaFloor s) throws GeneralSecurityException {
    Floor f = s.floor;
    int n = f.seal(in.plaintext);
    return f.open(f.message, n, f.dataKey, f.verificationKey);
  }

  /** One round trip of the floor with the key wrap; shared with {@link PairedRatioBenchmark}. */
  static byte[] floorWithWrapRoundTrip(Input in, JcaFloor s) throws GeneralSecurityException {
    Floor f = s.floor;
    int n = f.sealWrapped(in.plaintext);
    return f.openWrapped(f.message, n, f.verificationKey);
  }

  static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("benchmark set-up check failed: " + what);
    }
  }
}
