package dev.mrkenvelope.aws.admin;

import dev.mrkenvelope.aws.admin.RegionProbe.PolicyCheck;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.MessageType;

/**
 * One drill. Three phases, each with every Region (or cell) in parallel and every call bounded by
 * the call timeout: (1) DescribeKey then GetKeyPolicy per Region; (2) GenerateDataKey or Sign per
 * Region; (3) Decrypt or Verify per cell, in the cell's {@code to} Region with that Region's
 * replica ARN. A Region that did not answer in phase 1 gets no further calls: its row and column
 * fail with its error. So at most {@code 3N + N²} calls, and about {@code 4 × callTimeout} at worst
 * (one Region slow but answering: two calls in phase 1, one in each later phase).
 */
final class Driller {
  private static final Map<String, String> CONTEXT = Map.of("mrk-envelope", "drill");

  private final Kms kms;
  private final String arn;
  private final String keyId;
  private final List<String> regions;
  private final AtomicInteger calls = new AtomicInteger();
  private final Map<String, Phase1> described = new LinkedHashMap<>();
  private final Map<String, Generated> generated = new LinkedHashMap<>();

  private record Phase1(KeyMetadata key, String policy, Throwable error, boolean unreachable) {}

  private record Generated(
      byte[] plaintext,
      byte[] blob,
      byte[] message,
      String algorithm,
      Duration latency,
      Throwable error) {}

  Driller(Kms kms, String keyArn, List<String> regions) {
    String[] parts = keyArn.split(":", 6);
    if (parts.length != 6
        || !parts[0].equals("arn")
        || !parts[2].equals("kms")
        || !parts[5].startsWith("key/mrk-")) {
      throw new IllegalArgumentException(
          "keyArn must be a multi-Region key ARN like arn:aws:kms:us-east-1:111122223333:key/mrk-…: "
              + keyArn);
    }
    if (regions.isEmpty()) {
      throw new IllegalArgumentException("regions must name at least one Region to drill");
    }
    kms.requireAll(regions);
    this.kms = kms;
    this.arn = keyArn;
    this.keyId = parts[5].substring(4);
    this.regions = List.copyOf(regions);
  }

  private String arnIn(String region) {
    String[] p = arn.split(":", 6);
    return String.join(":", p[0], p[1], p[2], region, p[4], p[5]);
  }

  DrillReport run() {
    int n = regions.size();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(n * n, 32),
            r -> {
              Thread t = new Thread(r, "mrkenvelope-drill");
              t.setDaemon(true);
              return t;
            });
    try {
      described.putAll(all(pool, regions, this::describe));
      KeyMetadata any =
          described.values().stream()
              .map(Phase1::key)
              .filter(java.util.Objects::nonNull)
              .findFirst()
              .orElse(null);
      boolean signing = any != null && any.keyUsage() == KeyUsageType.SIGN_VERIFY;
      String algorithm = signing ? any.signingAlgorithmsAsStrings().get(0) : null;
      List<String> reachable =
          regions.stream().filter(r -> !described.get(r).unreachable()).toList();
      generated.putAll(all(pool, reachable, r -> generate(r, algorithm)));
      List<String[]> pairs = new ArrayList<>();
      regions.forEach(f -> regions.forEach(t -> pairs.add(new String[] {f, t})));
      Map<String, DrillCell> cells =
          all(
              pool,
              pairs.stream().map(p -> p[0] + " " + p[1]).toList(),
              k -> cell(k.split(" ")[0], k.split(" ")[1], signing));
      return new DrillReport(
          keyId, regions, probes(), List.copyOf(cells.values()), calls.get(), kms.callTimeout);
    } finally {
      pool.shutdownNow();
      generated
          .values()
          .forEach(
              g -> {
                if (g.plaintext() != null) {
                  Arrays.fill(g.plaintext(), (byte) 0);
                }
              });
    }
  }

  /** Runs one task per key in parallel; a task that outlives its bound counts as timed out. */
  private <T> Map<String, T> all(ExecutorService pool, List<String> keys, Task<T> task) {
    Map<String, Future<T>> futures = new LinkedHashMap<>();
    for (String k : keys) {
      futures.put(k, pool.submit((Callable<T>) () -> task.run(k)));
    }
    Map<String, T> out = new LinkedHashMap<>();
    // The SDK's apiCallTimeout ends each call; this bound only guards against a stuck client.
    long guard = 2 * kms.callTimeout.toMillis() + 2000;
    for (Map.Entry<String, Future<T>> e : futures.entrySet()) {
      try {
        out.put(e.getKey(), e.getValue().get(guard, TimeUnit.MILLISECONDS));
      } catch (Exception ex) {
        e.getValue().cancel(true);
        throw new IllegalStateException(
            "drill task for "
                + e.getKey()
                + " did not finish within "
                + guard
                + " ms; the SDK client ignores its call timeout",
            ex);
      }
    }
    return out;
  }

  private interface Task<T> {
    T run(String key);
  }

  private Phase1 describe(String r) {
    KeyMetadata md;
    try {
      calls.incrementAndGet();
      md =
          kms.in(r)
              .describeKey(b -> b.keyId(arnIn(r)).overrideConfiguration(kms.override))
              .keyMetadata();
    } catch (RuntimeException e) {
      if (KmsErrors.unreachable(e)) {
        return new Phase1(null, null, e, true);
      }
      md = null; // e.g. DescribeKey not granted to this identity: the data path may still work
    }
    try {
      calls.incrementAndGet();
      String p =
          kms.in(r)
              .getKeyPolicy(
                  b -> b.keyId(arnIn(r)).policyName("default").overrideConfiguration(kms.override))
              .policy();
      return new Phase1(md, p, null, false);
    } catch (RuntimeException e) {
      return new Phase1(md, null, e, KmsErrors.unreachable(e));
    }
  }

  private Generated generate(String r, String algorithm) {
    long t0 = System.nanoTime();
    try {
      calls.incrementAndGet();
      if (algorithm != null) {
        byte[] message = ("mrk-envelope drill " + r).getBytes(StandardCharsets.UTF_8);
        byte[] sig =
            kms.in(r)
                .sign(
                    b ->
                        b.keyId(arnIn(r))
                            .message(SdkBytes.fromByteArray(message))
                            .messageType(MessageType.RAW)
                            .signingAlgorithm(algorithm)
                            .overrideConfiguration(kms.override))
                .signature()
                .asByteArray();
        return new Generated(null, sig, message, algorithm, since(t0), null);
      }
      var dk =
          kms.in(r)
              .generateDataKey(
                  b ->
                      b.keyId(arnIn(r))
                          .keySpec("AES_256")
                          .encryptionContext(CONTEXT)
                          .overrideConfiguration(kms.override));
      return new Generated(
          dk.plaintext().asByteArray(),
          dk.ciphertextBlob().asByteArray(),
          null,
          null,
          since(t0),
          null);
    } catch (RuntimeException e) {
      return new Generated(null, null, null, null, since(t0), e);
    }
  }

  private DrillCell cell(String from, String to, boolean signing) {
    Phase1 dead = described.get(to);
    Generated g = generated.get(from);
    if (g == null || g.error() != null) {
      Throwable e = g == null ? described.get(from).error() : g.error();
      return new DrillCell(
          from,
          to,
          false,
          Duration.ZERO,
          "not attempted: nothing generated in " + from + " (" + KmsErrors.describe(e) + ")",
          KmsErrors.fix(e, from));
    }
    if (dead.unreachable()) {
      return new DrillCell(
          from,
          to,
          false,
          Duration.ZERO,
          "not attempted: " + to + " did not answer (" + KmsErrors.describe(dead.error()) + ")",
          KmsErrors.fix(dead.error(), to));
    }
    long t0 = System.nanoTime();
    try {
      calls.incrementAndGet();
      boolean ok = signing ? verify(to, g) : decrypt(to, g);
      return ok
          ? new DrillCell(from, to, true, since(t0), "", "")
          : new DrillCell(
              from,
              to,
              false,
              since(t0),
              "the answer from " + to + " did not match",
              "the key in " + to + " is not a replica of the key in " + from);
    } catch (RuntimeException e) {
      return new DrillCell(from, to, false, since(t0), KmsErrors.describe(e), KmsErrors.fix(e, to));
    }
  }

  private boolean decrypt(String to, Generated g) {
    var d =
        kms.in(to)
            .decrypt(
                b ->
                    b.keyId(arnIn(to))
                        .ciphertextBlob(SdkBytes.fromByteArray(g.blob()))
                        .encryptionContext(CONTEXT)
                        .overrideConfiguration(kms.override));
    byte[] p = d.plaintext().asByteArray();
    try {
      return arnIn(to).equals(d.keyId()) && MessageDigest.isEqual(p, g.plaintext());
    } finally {
      Arrays.fill(p, (byte) 0);
    }
  }

  private boolean verify(String to, Generated g) {
    return Boolean.TRUE.equals(
        kms.in(to)
            .verify(
                b ->
                    b.keyId(arnIn(to))
                        .message(SdkBytes.fromByteArray(g.message()))
                        .messageType(MessageType.RAW)
                        .signature(SdkBytes.fromByteArray(g.blob()))
                        .signingAlgorithm(g.algorithm())
                        .overrideConfiguration(kms.override))
            .signatureValid());
  }

  private List<RegionProbe> probes() {
    String reference =
        described.values().stream()
            .map(Phase1::policy)
            .filter(java.util.Objects::nonNull)
            .findFirst()
            .orElse(null);
    List<RegionProbe> out = new ArrayList<>();
    for (String r : regions) {
      Phase1 d = described.get(r);
      Generated g = generated.get(r);
      String state = d.key() == null ? "unknown" : d.key().keyStateAsString();
      PolicyCheck pc =
          d.policy() == null
              ? PolicyCheck.UNREADABLE
              : PolicyDocuments.equivalent(reference, d.policy())
                  ? PolicyCheck.CONSISTENT
                  : PolicyCheck.DIFFERS;
      Throwable e = g != null && g.error() != null ? g.error() : d.error();
      boolean ok = g != null && g.error() == null;
      out.add(
          new RegionProbe(
              r,
              state,
              pc,
              ok,
              g == null ? Duration.ZERO : g.latency(),
              e == null ? "" : KmsErrors.describe(e),
              e == null ? "" : KmsErrors.fix(e, r)));
    }
    return out;
  }

  private static Duration since(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0);
  }
}
