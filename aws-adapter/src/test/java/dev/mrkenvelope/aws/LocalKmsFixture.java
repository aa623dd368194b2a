package dev.mrkenvelope.aws;

import dev.mrkenvelope.kmslocal.LocalKms;
import dev.mrkenvelope.testkit.SdkClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A kms-local instance with several Regions, real SDK clients pointed at it, and routers built on
 * those clients. Close it to close everything.
 */
final class LocalKmsFixture implements AutoCloseable {
  static final String ACCOUNT = "111122223333";
  static final StaticCredentialsProvider CREDENTIALS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDLOCALKMS", "local-secret"));

  final LocalKms kms;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  LocalKmsFixture(String... regions) {
    // Replicas made through the SDK are usable at once: these tests are about calls, not about
    // waiting for replication (the admin tests exercise the Creating state).
    this.kms =
        LocalKms.builder().regions(regions).account(ACCOUNT).replicaCreation(Duration.ZERO).start();
    warmUp(regions[0]);
  }

  private static boolean warm;

  /**
   * The first SDK call in a JVM takes seconds (class loading, JIT); tests use 250 ms attempt
   * timeouts, so warm the SDK up once per JVM with a generous client.
   */
  private void warmUp(String region) {
    synchronized (LocalKmsFixture.class) {
      if (warm) {
        return;
      }
      warm = true;
    }
    String keyId = kms.createKey(region);
    try (KmsClient c = client(region)) {
      for (int i = 0; i < 30; i++) {
        var dk =
            c.generateDataKey(
                b ->
                    b.keyId(keyId).numberOfBytes(32).encryptionContext(java.util.Map.of("a", "b")));
        c.decrypt(
            b ->
                b.keyId(kms.keyArn(region, keyId))
                    .ciphertextBlob(dk.ciphertextBlob())
                    .encryptionContext(java.util.Map.of("a", "b")));
      }
    }
  }

  /** A plain SDK client for setting keys up (no retries, generous timeouts). */
  KmsClient admin(String region) {
    KmsClient c = client(region);
    closeables.add(c);
    return c;
  }

  /** An SDK client like a user's custom factory would build: the test kit's, no SDK retries. */
  KmsClient client(String region) {
    return SdkClients.sdkClient(kms, region);
  }

  /** The client factory for routers: one client per Region, closed with the fixture. */
  Function<String, KmsClient> clientFactory() {
    return r -> {
      KmsClient c = client(r);
      synchronized (closeables) {
        closeables.add(c);
      }
      return c;
    };
  }

  /**
   * A router on kms-local (attempt timeout 1 s, call timeout 5 s: generous, so that a loaded CI box
   * does not fail over by accident); tests that need short timeouts set them with {@code more}.
   */
  KmsRouter router(List<String> regions, Consumer<KmsRouter.Builder> more) {
    KmsRouter.Builder b =
        KmsRouter.builder()
            .regions(regions)
            .clientFactory(clientFactory())
            .attemptTimeout(Duration.ofSeconds(1))
            .callTimeout(Duration.ofSeconds(5));
    more.accept(b);
    KmsRouter r = b.build();
    synchronized (closeables) {
      closeables.add(r);
    }
    return r;
  }

  KmsRouter router(String... regions) {
    return router(List.of(regions), b -> {});
  }

  /** A new MRK, primary in {@code primary}, replicated to the others; returns its key id. */
  String mrk(String primary, String... replicas) {
    return kms.createMultiRegionKey(primary, replicas);
  }

  String arn(String region, String keyId) {
    return kms.keyArn(region, keyId);
  }

  void healAll() {
    for (String r : kms.regions()) {
      kms.faults(r).heal();
    }
  }

  /** A key policy that allows everything to the account and denies {@code actions} to everyone. */
  static String denyPolicy(String... actions) {
    StringBuilder deny = new StringBuilder();
    for (String a : actions) {
      deny.append(deny.length() == 0 ? "" : ",").append('"').append(a).append('"');
    }
    return "{\"Version\":\"2012-10-17\",\"Statement\":["
        + "{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::"
        + ACCOUNT
        + ":root\"},"
        + "\"Action\":\"kms:*\",\"Resource\":\"*\"},"
        + "{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":["
        + deny
        + "],\"Resource\":\"*\"}]}";
  }

  @Override
  public void close() {
    List<AutoCloseable> all;
    synchronized (closeables) {
      all = new ArrayList<>(closeables);
      closeables.clear();
    }
    for (AutoCloseable c : all) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort
      }
    }
    kms.close();
  }
}
