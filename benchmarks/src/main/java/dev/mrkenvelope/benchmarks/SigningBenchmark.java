package dev.mrkenvelope.benchmarks;

import dev.mrkenvelope.aws.KmsRouter;
import dev.mrkenvelope.aws.MrkSigner;
import java.nio.charset.StandardCharsets;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.VerifyRequest;

/**
 * Issue 13: what verifying locally saves. One thread checks one 1 KiB message's signature, made by
 * KMS on a multi-Region signing key, either with {@link MrkSigner#verify} (local JCA on the public
 * key cached at build time: {@code localVerify}) or with KMS {@code Verify} on kms-local over
 * loopback HTTP through the AWS SDK ({@code kmsVerify}, what a caller without the public key would
 * do). {@code sign} is {@link MrkSigner#sign} through a {@link KmsRouter}, for scale.
 *
 * <p>kms-local runs in the benchmark's JVM and shares its CPUs, so {@code kmsVerify} and {@code
 * sign} include kms-local's own verification or signing as well as the HTTP round trip; against AWS
 * KMS, add a network round trip (milliseconds) and the request quota.
 *
 * <p>Run alone: {@code java -jar benchmarks/target/benchmarks.jar SigningBenchmark}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class SigningBenchmark {
  private static final byte[] MESSAGE = message();

  private static byte[] message() {
    byte[] m = new byte[1024];
    byte[] text = "mrk-envelope signing benchmark".getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < m.length; i++) {
      m[i] = text[i % text.length];
    }
    return m;
  }

  /** One signing key, a signer on it, one signature, and an SDK client for KMS Verify. */
  @State(Scope.Benchmark)
  public static class Key {
    @Param({"ECDSA_SHA_256", "ECDSA_SHA_384", "RSASSA_PSS_SHA_256"})
    public String algorithm;

    KmsFixture fixture;
    KmsRouter router;
    KmsClient kms;
    MrkSigner signer;
    byte[] signature;
    VerifyRequest verifyRequest;

    @Setup(Level.Trial)
    public void setUp() {
      fixture = KmsFixture.start();
      SigningAlgorithmSpec alg = SigningAlgorithmSpec.fromValue(algorithm);
      KeySpec spec =
          alg == SigningAlgorithmSpec.ECDSA_SHA_256
              ? KeySpec.ECC_NIST_P256
              : alg == SigningAlgorithmSpec.ECDSA_SHA_384
                  ? KeySpec.ECC_NIST_P384
                  : KeySpec.RSA_2048;
      String arn;
      try (KmsClient admin = KmsFixture.sdkDefaults(fixture.kms, KmsFixture.PREFERRED, c -> {})) {
        arn =
            admin
                .createKey(
                    b -> b.keySpec(spec).keyUsage(KeyUsageType.SIGN_VERIFY).multiRegion(true))
                .keyMetadata()
                .arn();
        admin.replicateKey(b -> b.keyId(arn).replicaRegion(KmsFixture.OTHER));
        admin.getPublicKey(b -> b.keyId(arn)); // kms-local makes the key pair on first use
      }
      router = fixture.router().build();
      signer = MrkSigner.builder().keyArn(arn).router(router).signingAlgorithm(alg).build();
      signature = signer.sign(MESSAGE);
      kms = fixture.routerClient(KmsFixture.PREFERRED, java.time.Duration.ofMillis(1500));
      verifyRequest =
          VerifyRequest.builder()
              .keyId(arn)
              .message(SdkBytes.fromByteArray(MESSAGE))
              .signature(SdkBytes.fromByteArray(signature))
              .signingAlgorithm(alg)
              .build();
      // Both contenders must accept the signature, or the comparison means nothing.
      HotPathBenchmark.check(signer.verify(MESSAGE, signature), "local verify in set-up");
      HotPathBenchmark.check(
          Boolean.TRUE.equals(kms.verify(verifyRequest).signatureValid()), "KMS Verify in set-up");
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      kms.close();
      router.close();
      fixture.close();
    }
  }

  @Benchmark
  public boolean localVerify(Key k) {
    return k.signer.verify(MESSAGE, k.signature);
  }

  @Benchmark
  public Boolean kmsVerify(Key k) {
    return k.kms.verify(k.verifyRequest).signatureValid();
  }

  @Benchmark
  public byte[] sign(Key k) {
    return k.signer.sign(MESSAGE);
  }
}
