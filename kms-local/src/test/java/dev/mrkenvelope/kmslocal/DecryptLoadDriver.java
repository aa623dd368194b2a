package dev.mrkenvelope.kmslocal;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Measures how many Decrypt requests per second kms-local sustains on loopback: N client threads
 * (default 16) call Decrypt in a loop against one in-process {@link LocalKms} Region, for a warm-up
 * and then a measured period, and print the rate. Client and server share the machine, so the
 * figure is for the pair.
 *
 * <p>Modes: {@code sdk} (default) uses the real AWS SDK {@code KmsClient} with the URL-connection
 * HTTP client, exactly what the tests use; {@code raw} uses a bare {@code HttpURLConnection} with
 * the same wire request, to show the server's own ceiling without the SDK's client-side cost.
 *
 * <pre>
 * cd /work/main
 * mvn -B -o -q -pl kms-local test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=dev.mrkenvelope.kmslocal.DecryptLoadDriver -Dexec.args="sdk 16 10 10"
 * </pre>
 *
 * Arguments: mode (sdk|apache|raw), threads, measured seconds, warm-up seconds (default 10, so the
 * JIT has compiled both sides). Not a test: run it by hand.
 */
public final class DecryptLoadDriver {
  private DecryptLoadDriver() {}

  public static void main(String[] args) throws Exception {
    String mode = args.length > 0 ? args[0] : "sdk";
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 10;
    // HttpURLConnection keeps at most 5 idle connections per host by default; 16 threads need 16.
    System.setProperty("http.maxConnections", Integer.toString(Math.max(threads, 5)));
    String region = "us-east-1";
    try (LocalKms kms = LocalKms.builder().regions(region).start()) {
      String keyId = kms.createKey(region);
      List<Runnable> callers = new ArrayList<>();
      List<AutoCloseable> closeables = new ArrayList<>();
      if (mode.equals("raw")) {
        byte[] blob = encrypt(kms, region, keyId);
        byte[] body =
            ("{\"CiphertextBlob\":\"" + Base64.getEncoder().encodeToString(blob) + "\"}")
                .getBytes(StandardCharsets.UTF_8);
        URL url = kms.endpoint(region).toURL();
        for (int i = 0; i < threads; i++) {
          callers.add(() -> rawDecrypt(url, body));
        }
      } else {
        KmsClient client =
            KmsClient.builder()
                .endpointOverride(kms.endpoint(region))
                .region(Region.of(region))
                .credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "SECRET")))
                .httpClient(
                    mode.equals("apache")
                        ? software.amazon.awssdk.http.apache5.Apache5HttpClient.builder()
                            .maxConnections(threads)
                            .build()
                        : UrlConnectionHttpClient.create())
                .overrideConfiguration(c -> c.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
        closeables.add(client);
        SdkBytes blob = SdkBytes.fromByteArray(encrypt(kms, region, keyId));
        for (int i = 0; i < threads; i++) {
          callers.add(() -> client.decrypt(b -> b.ciphertextBlob(blob)));
        }
      }
      run(callers, warmup, "warm-up");
      double rate = run(callers, seconds, "measured");
      System.out.printf(
          "kms-local Decrypt: %.0f requests/s (%s client, %d threads, %d s, %d cores)%n",
          rate, mode, threads, seconds, Runtime.getRuntime().availableProcessors());
      for (AutoCloseable c : closeables) {
        c.close();
      }
    }
  }

  /**
   * CPU time of this process (all threads: client and server) from /proc, in milliseconds; -1 off
   * Linux. On a shared machine the rate depends on what else runs; CPU per request does not.
   */
  private static long processCpuMillis() {
    try {
      String stat =
          new String(
              java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc/self/stat")),
              StandardCharsets.US_ASCII);
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // utime + stime, 100 ticks/s
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }

  /** One Decrypt over a kept-alive HttpURLConnection, with the headers the SDK would send. */
  private static void rawDecrypt(URL url, byte[] body) {
    try {
      HttpURLConnection c = (HttpURLConnection) url.openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      // No streaming mode: HttpURLConnection then sends headers and body in one segment, as the
      // SDK's client does; streamed, the body waits ~40 ms for a delayed ACK (Nagle, client side).
      c.setRequestProperty("X-Amz-Target", "TrentService.Decrypt");
      c.setRequestProperty("Content-Type", "application/x-amz-json-1.1");
      c.setRequestProperty(
          "Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/kms/aws4_request");
      try (OutputStream os = c.getOutputStream()) {
        os.write(body);
      }
      if (c.getResponseCode() != 200) {
        throw new IllegalStateException("Decrypt answered " + c.getResponseCode());
      }
      try (InputStream in = c.getInputStream()) {
        in.readAllBytes(); // drain fully so the connection is reused
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static byte[] encrypt(LocalKms kms, String region, String keyId) {
    try (KmsClient c =
        KmsClient.builder()
            .endpointOverride(kms.endpoint(region))
            .region(Region.of(region))
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")))
            .httpClient(UrlConnectionHttpClient.create())
            .build()) {
      return c.encrypt(b -> b.keyId(keyId).plaintext(SdkBytes.fromByteArray(new byte[32])))
          .ciphertextBlob()
          .asByteArray();
    }
  }

  private static double run(List<Runnable> callers, int seconds, String phase)
      throws InterruptedException {
    LongAdder done = new LongAdder();
    AtomicBoolean stop = new AtomicBoolean();
    CountDownLatch finished = new CountDownLatch(callers.size());
    List<Thread> ts = new ArrayList<>();
    for (Runnable r : callers) {
      Thread t =
          new Thread(
              () -> {
                try {
                  while (!stop.get()) {
                    r.run();
                    done.increment();
                  }
                } finally {
                  finished.countDown();
                }
              });
      t.setDaemon(true);
      ts.add(t);
    }
    long t0 = System.nanoTime();
    long cpu0 = processCpuMillis();
    ts.forEach(Thread::start);
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    finished.await();
    double elapsed = (System.nanoTime() - t0) / 1e9;
    long cpu = processCpuMillis() - cpu0;
    double rate = done.sum() / elapsed;
    System.out.printf(
        "%s: %d requests in %.1f s = %.0f/s; process CPU %.1f s = %.0f us per request (client + server)%n",
        phase, done.sum(), elapsed, rate, cpu / 1000.0, cpu * 1000.0 / Math.max(1, done.sum()));
    return rate;
  }
}
