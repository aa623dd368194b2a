package dev.mrkenvelope.kmslocal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A blackholed Region keeps no socket of a request its client abandoned: the server sees the client
 * close the connection and closes its side, instead of leaving it in CLOSE_WAIT.
 */
class BlackholeReleaseTest {
  static final String REGION = "sa-east-1";
  static final int CALLS = 64;

  LocalKms kms;
  String keyId;
  ExecutorService pool;

  @BeforeEach
  void start() {
    kms = LocalKms.builder().regions(REGION).start();
    keyId = kms.createKey(REGION);
    pool = Executors.newFixedThreadPool(8);
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
    kms.close();
  }

  /**
   * Clients with a short attempt timeout, each warmed up by one answered call so that JVM and SDK
   * start-up on a loaded machine do not eat the timeout of the calls that follow.
   */
  List<KmsClient> warmClients() throws InterruptedException {
    List<KmsClient> clients = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      KmsClient c = SdkClients.withTimeout(kms, REGION, Duration.ofMillis(250));
      for (int attempt = 0; ; attempt++) {
        try {
          c.describeKey(b -> b.keyId(keyId));
          break;
        } catch (ApiCallAttemptTimeoutException e) {
          if (attempt == 50) {
            throw e;
          }
        }
      }
      clients.add(c);
    }
    return clients;
  }

  /** Fires CALLS requests that each time out against the blackhole; the clients abandon them. */
  void abandonRequests(List<KmsClient> clients) throws Exception {
    List<Future<?>> calls = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      KmsClient c = clients.get(i % clients.size());
      calls.add(
          pool.submit(
              () ->
                  assertThatThrownBy(
                          () ->
                              c.encrypt(
                                  b -> b.keyId(keyId).plaintext(SdkBytes.fromUtf8String("x"))))
                      .isInstanceOf(ApiCallAttemptTimeoutException.class)));
    }
    for (Future<?> f : calls) {
      f.get();
    }
    // Most reach the server before the timeout (a loaded machine may delay a few).
    assertThat(kms.requestCount(REGION, "Encrypt")).isGreaterThan(CALLS / 2);
  }

  @Test
  void abandonedBlackholedRequests_releaseTheirSockets_onceClientsClose() throws Exception {
    List<KmsClient> clients = warmClients();
    kms.faults(REGION).blackhole();
    abandonRequests(clients);
    clients.forEach(KmsClient::close);

    // The condition is awaited (the server learns of each close asynchronously); the bound only
    // guards against a hang. Before the fix, all CALLS connections stayed open until heal().
    awaitTrue(() -> kms.openConnections(REGION) == 0);
    awaitTrue(() -> closeWaitSockets(kms.endpoint(REGION).getPort()) == 0);
    assertThat(kms.openConnections(REGION)).isZero();
  }

  @Test
  void aClientStillWaiting_keepsItsRequestHeld_untilHeal() throws Exception {
    List<KmsClient> clients = warmClients();
    kms.faults(REGION).blackhole();
    kms.resetRequestCounts();
    try (KmsClient patient = SdkClients.withTimeout(kms, REGION, Duration.ofSeconds(30))) {
      Future<?> waiting = pool.submit(() -> patient.describeKey(b -> b.keyId(keyId)));
      awaitTrue(() -> kms.requestCount(REGION, "DescribeKey") == 1);
      abandonRequests(clients);
      clients.forEach(KmsClient::close);

      // Every abandoned request is released; the one whose client still waits is not.
      awaitTrue(() -> kms.openConnections(REGION) == 1);
      assertThat(waiting).isNotDone();
      kms.faults(REGION).heal();
      assertThatThrownBy(waiting::get).isInstanceOf(ExecutionException.class);
      awaitTrue(() -> kms.openConnections(REGION) == 0);
    }
  }

  void awaitTrue(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "condition not reached within the 20 s hang guard; open connections "
                + kms.openConnections(REGION)
                + ", CLOSE_WAIT sockets "
                + closeWaitSockets(kms.endpoint(REGION).getPort()));
      }
      Thread.sleep(5);
    }
  }

  /**
   * Sockets on the server's port in CLOSE_WAIT (peer closed, we did not), read from the kernel's
   * table; 0 where /proc is not available.
   */
  static long closeWaitSockets(int port) {
    String localPort = String.format(Locale.ROOT, ":%04X", port);
    long n = 0;
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      Path p = Path.of(table);
      if (!Files.isReadable(p)) {
        continue;
      }
      try {
        for (String line : Files.readAllLines(p)) {
          String[] f = line.trim().split("\\s+");
          // f[1] local address:port, f[3] state; 08 is CLOSE_WAIT.
          if (f.length > 3 && f[1].endsWith(localPort) && f[3].equals("08")) {
            n++;
          }
        }
      } catch (IOException e) {
        throw new AssertionError("cannot read " + table, e);
      }
    }
    return n;
  }
}
