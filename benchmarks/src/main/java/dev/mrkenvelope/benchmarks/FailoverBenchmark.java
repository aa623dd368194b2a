package dev.mrkenvelope.benchmarks;

import com.amazonaws.encryptionsdk.AwsCrypto;
import com.amazonaws.encryptionsdk.CommitmentPolicy;
import dev.mrkenvelope.AlgorithmSuite;
import dev.mrkenvelope.EnvelopeClient;
import dev.mrkenvelope.aws.AwsKmsMrkDiscoveryKeyring;
import dev.mrkenvelope.aws.AwsKmsMrkKeyring;
import dev.mrkenvelope.aws.KmsRouter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.cryptography.materialproviders.IKeyring;
import software.amazon.cryptography.materialproviders.model.CreateAwsKmsMrkDiscoveryMultiKeyringInput;
import software.amazon.cryptography.materialproviders.model.DiscoveryFilter;

/**
 * P4 of issue 7: the latency distribution (SampleTime) of decrypting a 1 KiB message (suite 0x0478)
 * whose data key is wrapped by a multi-Region key, with the preferred Region ({@code us-east-1},
 * first in every Region order) blackholed on kms-local — connections accepted, never answered — and
 * {@code eu-west-1} healthy. No data-key cache: every decrypt calls KMS.
 *
 * <ul>
 *   <li>{@code mrkEnvelopeHealthy}: mrk-envelope, nothing blackholed — the healthy-Region baseline
 *       of the target;
 *   <li>{@code mrkEnvelopeHedgeOnly}: mrk-envelope's {@link AwsKmsMrkDiscoveryKeyring} on a {@link
 *       KmsRouter} with {@code hedgeAfter(50 ms)}, {@code failOverOnAccessDenied(true)} and the
 *       circuit breaker disabled, so every call first waits the hedge delay — the worst case, and
 *       what the target is judged on. {@code failOverOnAccessDenied(true)} lets the hedge's success
 *       end the call while the blackholed attempt hangs; with the default (a denial is honoured, so
 *       answers are taken in Region order) every such call waits the 1.5 s attempt timeout;
 *   <li>{@code mrkEnvelopeDefaults}: the same with the breaker at its defaults (opens after 5
 *       failures, probes every 10 s), as a user would run it: the blackholed Region is skipped;
 *   <li>{@code esdkBlackholed}: ESDK-Java 3.0.2's {@code CreateAwsKmsMrkDiscoveryMultiKeyring} with
 *       the same Region order, SDK clients with the SDK's default HTTP client, timeouts and
 *       retries, plus one bound: {@code apiCallTimeout(2 s)}. The bound makes ESDK look
 *       <em>better</em> than its defaults;
 *   <li>{@code esdkHealthy}: ESDK, nothing blackholed, for reference;
 *   <li>{@code esdkBlackholedSdkDefaults}: ESDK with the SDK's true defaults, one decrypt (single
 *       shot). It waits the HTTP client's 30 s socket timeout on each of the SDK's 4 attempts:
 *       about two minutes, so {@code run.sh} and {@code smoke.sh} leave it out; run it alone with
 *       {@code java -jar benchmarks/target/benchmarks.jar
 *       FailoverBenchmark.esdkBlackholedSdkDefaults}.
 * </ul>
 *
 * <p>Every variant first decrypts {@value #WARM_UP_CALLS} times with both Regions healthy, then the
 * preferred Region is blackholed (the healthy variants skip that step).
 *
 * <p>Router: Regions {@code us-east-1, eu-west-1}, preference order, attempt timeout 1.5 s, call
 * timeout 5 s (the defaults), clients as the router's default factory builds them.
 *
 * <p>Heap: a fixed 1 GiB ({@code -Xms1g -Xmx1g}), as a service sizes its heap. Left to itself, G1
 * starts a fresh JVM here on an 80 MB heap; at the ~100 KB that one KMS call allocates (mostly in
 * the AWS SDK, which runs in this JVM, as does kms-local) it then pauses 8–20 ms every 8 s or so,
 * and a 55 ms hedged call is four times as likely as a 2 ms healthy one to overlap a pause — about
 * 1% of them, which is exactly where p99 is read, so that p99 swung between 58 and 80 ms from run
 * to run with the same code. With the fixed heap no young collection falls in the measurement (the
 * report shows the count).
 *
 * <p>Run alone: {@code java -jar benchmarks/target/benchmarks.jar FailoverBenchmark}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 4)
@Measurement(iterations = 3, time = 4)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Threads(1)
public class FailoverBenchmark {
  static final Duration HEDGE_AFTER = Duration.ofMillis(50);
  static final Duration ESDK_API_CALL_TIMEOUT = Duration.ofSeconds(2);
  static final int WARM_UP_CALLS = 2_000;

  /** kms-local with the MRK and one message encrypted under it in the preferred Region. */
  abstract static class Env {
    KmsFixture fixture;
    byte[] plaintext = Fixtures.plaintext(1024);
    byte[] message;

    /** Creates kms-local and the message; the subclass builds its client, then {@link #warmUp}. */
    void start() {
      fixture = KmsFixture.start();
      try (KmsRouter router = fixture.router().build()) {
        EnvelopeClient encryptor =
            EnvelopeClient.builder()
                .keyring(AwsKmsMrkKeyring.builder().keyArn(fixture.keyArn).router(router).build())
                .algorithmSuite(AlgorithmSuite.AES_256_GCM_HKDF_SHA512_COMMIT_KEY)
                .build();
        message = encryptor.encrypt(plaintext, Fixtures.CONTEXT).ciphertext();
      }
    }

    /** One decrypt through the variant's client. */
    abstract byte[] decrypt();

    /**
     * Decrypts {@link #WARM_UP_CALLS} times with both Regions healthy, then blackholes the
     * preferred Region if asked: a service meets an outage warm, and at one call per hedge delay
     * the JMH warm-up alone would leave the SDK's request path barely compiled.
     */
    void warmUp(boolean blackhole) {
      for (int i = 0; i < WARM_UP_CALLS; i++) {
        check(decrypt());
      }
      if (blackhole) {
        fixture.kms.faults(KmsFixture.PREFERRED).blackhole();
      }
    }

    void check(byte[] decrypted) {
      HotPathBenchmark.check(Arrays.equals(decrypted, plaintext), "decrypt in set-up");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      fixture.close();
    }
  }

  /** mrk-envelope: discovery keyring on a router; no cache. */
  abstract static class MrkEnv extends Env {
    KmsRouter router;
    EnvelopeClient client;

    void start(boolean blackhole, boolean breaker) {
      start();
      KmsRouter.Builder b = fixture.router().hedgeAfter(HEDGE_AFTER);
      if (!breaker) {
        b.breakerThreshold(Integer.MAX_VALUE).failOverOnAccessDenied(true);
      }
      router = b.build();
      client =
          EnvelopeClient.builder()
              .keyring(
                  AwsKmsMrkDiscoveryKeyring.builder()
                      .router(router)
                      .discoveryFilter("aws", Set.of(KmsFixture.ACCOUNT))
                      .build())
              .build();
      warmUp(blackhole);
    }

    @Override
    byte[] decrypt() {
      return client.decrypt(message).plaintext();
    }

    @Override
    public void tearDown() {
      router.close();
      super.tearDown();
    }
  }

  @State(Scope.Benchmark)
  public static class MrkHealthy extends MrkEnv {
    @Setup(Level.Trial)
    public void setUp() {
      start(false, true);
    }
  }

  @State(Scope.Benchmark)
  public static class MrkHedgeOnly extends MrkEnv {
    @Setup(Level.Trial)
    public void setUp() {
      start(true, false);
    }
  }

  @State(Scope.Benchmark)
  public static class MrkDefaults extends MrkEnv {
    @Setup(Level.Trial)
    public void setUp() {
      start(true, true);
    }
  }

  /** ESDK-Java: MRK discovery multi-keyring, same Region order; SDK defaults but a 2 s bound. */
  abstract static class EsdkEnv extends Env {
    final Map<String, KmsClient> clients = new ConcurrentHashMap<>();
    AwsCrypto crypto;
    IKeyring keyring;

    void startEsdk(boolean blackhole) {
      startEsdk(blackhole, c -> c.apiCallTimeout(ESDK_API_CALL_TIMEOUT));
    }

    void startEsdk(
        boolean blackhole, Consumer<ClientOverrideConfiguration.Builder> clientOverride) {
      start();
      crypto =
          AwsCrypto.builder()
              .withCommitmentPolicy(CommitmentPolicy.RequireEncryptRequireDecrypt)
              .build();
      keyring =
          Fixtures.materialProviders()
              .CreateAwsKmsMrkDiscoveryMultiKeyring(
                  CreateAwsKmsMrkDiscoveryMultiKeyringInput.builder()
                      .regions(List.of(KmsFixture.PREFERRED, KmsFixture.OTHER))
                      .discoveryFilter(
                          DiscoveryFilter.builder()
                              .partition("aws")
                              .accountIds(List.of(KmsFixture.ACCOUNT))
                              .build())
                      .clientSupplier(
                          input ->
                              clients.computeIfAbsent(
                                  input.region(),
                                  r -> KmsFixture.sdkDefaults(fixture.kms, r, clientOverride)))
                      .build());
      warmUp(blackhole);
    }

    @Override
    byte[] decrypt() {
      return crypto.decryptData(keyring, message).getResult();
    }

    @Override
    public void tearDown() {
      clients.values().forEach(KmsClient::close);
      super.tearDown();
    }
  }

  @State(Scope.Benchmark)
  public static class EsdkHealthy extends EsdkEnv {
    @Setup(Level.Trial)
    public void setUp() {
      startEsdk(false);
    }
  }

  @State(Scope.Benchmark)
  public static class EsdkBlackholed extends EsdkEnv {
    @Setup(Level.Trial)
    public void setUp() {
      startEsdk(true);
    }
  }

  @State(Scope.Benchmark)
  public static class EsdkBlackholedSdkDefaults extends EsdkEnv {
    @Setup(Level.Trial)
    public void setUp() {
      startEsdk(true, c -> {});
    }
  }

  @Benchmark
  public byte[] mrkEnvelopeHealthy(MrkHealthy s) {
    return s.client.decrypt(s.message).plaintext();
  }

  /** At ~18 calls/s: 30 s of measurement, so that p99 rests on five or six calls, not two. */
  @Benchmark
  @Measurement(iterations = 6, time = 5)
  public byte[] mrkEnvelopeHedgeOnly(MrkHedgeOnly s) {
    return s.client.decrypt(s.message).plaintext();
  }

  @Benchmark
  public byte[] mrkEnvelopeDefaults(MrkDefaults s) {
    return s.client.decrypt(s.message).plaintext();
  }

  @Benchmark
  public byte[] esdkHealthy(EsdkHealthy s) {
    return s.crypto.decryptData(s.keyring, s.message).getResult();
  }

  @Benchmark
  @Warmup(iterations = 1, time = 2)
  @Measurement(iterations = 4, time = 4)
  public byte[] esdkBlackholed(EsdkBlackholed s) {
    return s.crypto.decryptData(s.keyring, s.message).getResult();
  }

  /** One decrypt, SDK defaults: about two minutes. Not in run.sh or smoke.sh. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Warmup(iterations = 0)
  @Measurement(iterations = 1)
  public byte[] esdkBlackholedSdkDefaults(EsdkBlackholedSdkDefaults s) {
    return s.crypto.decryptData(s.keyring, s.message).getResult();
  }
}
