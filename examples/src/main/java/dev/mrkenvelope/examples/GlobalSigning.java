package dev.mrkenvelope.examples;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.mrkenvelope.aws.KmsRouter;
import dev.mrkenvelope.aws.MrkSigner;
import dev.mrkenvelope.jose.MrkJwsSigner;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;

/**
 * Global signing: services in three regions issue JWTs with one multi-region signing key while one
 * region goes down, and a verifier somewhere else checks every token with nothing but the published
 * JWKS.
 *
 * <ol>
 *   <li>kms-local serves us-east-1, eu-west-1 and ap-southeast-1; an ECC_NIST_P256 signing key is
 *       created in us-east-1 and replicated to the other two.
 *   <li>A token service in each region signs ES256 JWTs with an {@link MrkJwsSigner} on its local
 *       replica; its router prefers its own region and fails over to the others.
 *   <li>The JWKS (one public key, {@code kid} = the key ID) is published once.
 *   <li>A third of the way in, us-east-1 goes down; the us-east-1 service keeps issuing tokens,
 *       signed in eu-west-1.
 *   <li>The verifier (a partner's server: no AWS access, no KMS calls) checks every token.
 * </ol>
 */
public final class GlobalSigning {
  private static final List<String> REGIONS =
      List.of(Lab.US_EAST_1, Lab.EU_WEST_1, Lab.AP_SOUTHEAST_1);

  private GlobalSigning() {}

  /** What a run did. */
  public static final class Result {
    /** Tokens the services were asked to issue. */
    public final int tokens;

    /** Tokens issued, per issuing service's region. */
    public final Map<String, Integer> issuedBy;

    /** Successful KMS Sign calls per region: where the tokens were really signed. */
    public final Map<String, Long> signedIn;

    /** Tokens the verifier accepted. */
    public final int verified;

    /** Tokens that failed to be issued or to verify. */
    public final int failures;

    /** KMS Verify requests made anywhere (verification is local). */
    public final long kmsVerifyRequests;

    /** Router failovers of Sign. */
    public final long failovers;

    /** The last failure, or null. */
    public final String lastError;

    Result(
        int tokens,
        Map<String, Integer> issuedBy,
        Map<String, Long> signedIn,
        int verified,
        int failures,
        long kmsVerifyRequests,
        long failovers,
        String lastError) {
      this.tokens = tokens;
      this.issuedBy = issuedBy;
      this.signedIn = signedIn;
      this.verified = verified;
      this.failures = failures;
      this.kmsVerifyRequests = kmsVerifyRequests;
      this.failovers = failovers;
      this.lastError = lastError;
    }
  }

  /** Issues {@code tokens} JWTs round-robin from the three regions; us-east-1 fails a third in. */
  public static Result run(PrintStream out, int tokens) throws Exception {
    MeterRegistry registry = new SimpleMeterRegistry();
    try (Lab lab = Lab.start()) {
      out.println(
          "Starting kms-local: us-east-1, eu-west-1, ap-southeast-1 (account " + Lab.ACCOUNT + ")");
      String arn =
          lab.createMultiRegionSigningKey(
              KeySpec.ECC_NIST_P256, Lab.US_EAST_1, Lab.EU_WEST_1, Lab.AP_SOUTHEAST_1);
      out.println("Created multi-region signing key " + arn + " (ECC_NIST_P256)");
      out.println("  replicated to eu-west-1 and ap-southeast-1");

      // One token service per region: its own replica first, then the other two.
      Map<String, MrkJwsSigner> services = new LinkedHashMap<>();
      List<KmsRouter> routers = new ArrayList<>();
      for (String region : REGIONS) {
        List<String> order = new ArrayList<>(REGIONS);
        order.remove(region);
        order.add(0, region);
        KmsRouter router =
            KmsRouter.builder()
                .regions(order)
                .clientFactory(lab::client)
                .attemptTimeout(Duration.ofSeconds(1))
                .callTimeout(Duration.ofSeconds(3))
                .meterRegistry(registry)
                .build(); // no hedging, so each token is signed in exactly one region
        routers.add(router);
        MrkSigner signer =
            MrkSigner.builder()
                .keyArn(Lab.inRegion(arn, region))
                .router(router)
                .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256)
                .build();
        services.put(region, new MrkJwsSigner(signer));
      }

      // Published once, e.g. at https://issuer.example/.well-known/jwks.json
      String jwks = new JWKSet(services.get(Lab.US_EAST_1).publicJwk()).toString();
      out.println("Published JWKS: " + jwks);

      lab.kms.resetRequestCounts();
      Map<String, AtomicInteger> issued = new LinkedHashMap<>();
      REGIONS.forEach(r -> issued.put(r, new AtomicInteger()));
      Queue<String> issuedTokens = new ConcurrentLinkedQueue<>();
      AtomicInteger failures = new AtomicInteger();
      AtomicReference<String> lastError = new AtomicReference<>();
      ExecutorService pool = Executors.newFixedThreadPool(3);
      for (int i = 0; i < tokens; i++) {
        if (i == tokens / 3) {
          drain(pool, i); // the first third is signed everywhere, then the outage
          pool = Executors.newFixedThreadPool(3);
          lab.kms.faults(Lab.US_EAST_1).outage();
          out.println("  >> us-east-1 is DOWN (connections refused) after " + i + " tokens");
        }
        String region = REGIONS.get(i % REGIONS.size());
        MrkJwsSigner service = services.get(region);
        int n = i;
        pool.execute(
            () -> {
              try {
                issuedTokens.add(issue(service, region, n));
                issued.get(region).incrementAndGet();
              } catch (Exception e) {
                failures.incrementAndGet();
                lastError.set(e.toString());
              }
            });
      }
      drain(pool, tokens);

      int verified = 0;
      Verifier verifier = new Verifier(jwks);
      for (String token : issuedTokens) {
        try {
          verifier.check(token);
          verified++;
        } catch (Exception e) {
          failures.incrementAndGet();
          lastError.set("verification: " + e);
        }
      }
      routers.forEach(KmsRouter::close);

      Map<String, Integer> issuedBy = new LinkedHashMap<>();
      issued.forEach((r, c) -> issuedBy.put(r, c.get()));
      Map<String, Long> signedIn = new LinkedHashMap<>();
      for (String r : REGIONS) {
        signedIn.put(r, successfulSigns(registry, r));
      }
      long kmsVerify = 0;
      for (String r : REGIONS) {
        kmsVerify += lab.kms.requestCount(r, "Verify");
      }
      Result result =
          new Result(
              tokens,
              issuedBy,
              signedIn,
              verified,
              failures.get(),
              kmsVerify,
              (long)
                  registry
                      .find("mrkenvelope.kms.failovers")
                      .tag("operation", "Sign")
                      .counters()
                      .stream()
                      .mapToDouble(Counter::count)
                      .sum(),
              lastError.get());
      print(out, result);
      return result;
    }
  }

  private static String issue(MrkJwsSigner service, String region, int n) throws Exception {
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer("https://issuer.example")
            .subject("user-" + n)
            .claim("issued_in", region)
            .expirationTime(new Date(System.currentTimeMillis() + 600_000))
            .build();
    SignedJWT jwt =
        new SignedJWT(
            new JWSHeader.Builder(service.algorithm()).keyID(service.keyId()).build(), claims);
    jwt.sign(service);
    return jwt.serialize();
  }

  /** The partner's verifier: Nimbus's JWT processor on the JWKS document, nothing else. */
  private static final class Verifier {
    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    Verifier(String jwks) throws ParseException {
      processor.setJWSKeySelector(
          new JWSVerificationKeySelector<>(
              JWSAlgorithm.ES256, new ImmutableJWKSet<>(JWKSet.parse(jwks))));
    }

    void check(String token) throws Exception {
      processor.process(token, null);
    }
  }

  private static long successfulSigns(MeterRegistry registry, String region) {
    return registry
        .find("mrkenvelope.kms.requests")
        .tags("operation", "Sign", "region", region, "outcome", "success")
        .timers()
        .stream()
        .mapToLong(Timer::count)
        .sum();
  }

  private static void drain(ExecutorService pool, int done) throws InterruptedException {
    pool.shutdown();
    if (!pool.awaitTermination(2, TimeUnit.MINUTES)) {
      throw new IllegalStateException("signing did not finish in 2 minutes (" + done + " tokens)");
    }
  }

  private static void print(PrintStream out, Result r) {
    String line =
        "+-----------------------------+---------------------------------------------------+";
    out.println();
    out.println(line);
    row(
        out,
        "tokens issued",
        r.issuedBy.values().stream().mapToInt(i -> i).sum() + " of " + r.tokens);
    r.issuedBy.forEach((region, n) -> row(out, "  issued in " + region, Integer.toString(n)));
    r.signedIn.forEach((region, n) -> row(out, "KMS signed in " + region, Long.toString(n)));
    row(out, "Sign failovers", Long.toString(r.failovers));
    row(out, "verified with the JWKS", r.verified + " of " + r.tokens);
    row(out, "KMS Verify requests", Long.toString(r.kmsVerifyRequests));
    row(out, "failures", Integer.toString(r.failures));
    out.println(line);
    if (r.failures == 0) {
      out.println("Every token was signed while us-east-1 was down, and every one verified.");
    } else {
      out.println(r.failures + " tokens failed; last error: " + r.lastError);
    }
  }

  private static void row(PrintStream out, String k, String v) {
    if (v.length() > 49) {
      v = v.substring(0, 48) + "…";
    }
    out.printf("| %-27s | %-49s |%n", k, v);
  }
}
