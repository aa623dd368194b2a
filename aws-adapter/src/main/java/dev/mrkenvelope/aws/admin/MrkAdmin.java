package dev.mrkenvelope.aws.admin;

import dev.mrkenvelope.aws.KmsRouter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Operates multi-Region key sets from code: {@link #plan} and {@link #apply} make a key set match a
 * {@link KeySetSpec} (create the primary, replicate, policies, aliases, rotation), {@link #audit}
 * reports every way it drifted, and {@link #drill} checks that every Region can serve it.
 *
 * <pre>{@code
 * try (MrkAdmin admin = MrkAdmin.builder().router(router).build()) {
 *   Plan plan = admin.plan(spec);
 *   admin.apply(plan);                       // a second plan(spec) is empty
 *   System.out.println(admin.audit(spec).toTable());
 *   DrillReport dr = admin.drill(keyArn, spec.regions());
 * }
 * }</pre>
 *
 * <p>Every call goes to the named Region's own endpoint through the client for that Region, with
 * the {@linkplain Builder#callTimeout call timeout}; nothing here deletes a key, schedules a
 * deletion or enables a disabled key (those need a human, and the audit says so).
 *
 * <p>Thread-safe: each method reads KMS afresh and keeps no state between calls.
 */
public final class MrkAdmin implements AutoCloseable {
  private final Kms kms;
  private final List<KmsClient> owned;
  private final Duration replicaWaitTimeout;
  private final Duration pollInterval;

  private MrkAdmin(Builder b, Map<String, KmsClient> clients, List<KmsClient> owned) {
    this.kms = new Kms(clients, b.callTimeout);
    this.owned = List.copyOf(owned);
    this.replicaWaitTimeout = b.replicaWaitTimeout;
    this.pollInterval = b.pollInterval;
  }

  /**
   * Starts configuring an admin; exactly one of {@code router}, {@code clients} or {@code regions}
   * is required.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * What {@link #apply} would change to make the key set match the spec. Reads the key set in every
   * spec Region (about {@code 3N + 1} KMS calls for N Regions); changes nothing.
   *
   * @throws IllegalArgumentException if a spec Region has no client
   * @throws MrkAdminException if a spec Region could not be read (unreachable, access denied): a
   *     plan made without seeing every Region could create a second key set
   */
  public Plan plan(KeySetSpec spec) {
    kms.requireAll(spec.regions());
    KeySetState state = KeySetState.read(kms, spec);
    List<Finding> findings = Auditor.findings(spec, state, kms);
    List<Finding> unreadable =
        findings.stream().filter(f -> f.kind() == FindingKind.REGION_UNREADABLE).toList();
    if (!unreadable.isEmpty()) {
      // A plan made without seeing every Region could create a second key or undo a fix.
      StringBuilder sb = new StringBuilder("cannot plan " + spec.alias() + ": ");
      unreadable.forEach(f -> sb.append(f.region()).append(": ").append(f.actual()).append("; "));
      throw new MrkAdminException(sb + "fix: " + unreadable.get(0).fix(), List.of(), null);
    }
    LinkedHashSet<Change> changes = new LinkedHashSet<>();
    findings.forEach(f -> changes.addAll(f.repairs()));
    String primary = state.actualPrimary != null ? state.actualPrimary : spec.primaryRegion();
    return new Plan(spec, state.keyId, primary, new ArrayList<>(changes));
  }

  /**
   * Makes the changes of a plan, in order, waiting for new replicas to leave {@code Creating}
   * before setting anything on them. Apply a fresh plan: the plan says what was needed when it was
   * made. Applying the plan of a key set that matches changes nothing.
   *
   * @throws MrkAdminException naming the change, the KMS error and the fix when a call fails (the
   *     changes before it stay applied; plan and apply again once the cause is fixed)
   */
  public ApplyResult apply(Plan plan) {
    return new Applier(kms, Objects.requireNonNull(plan, "plan"), replicaWaitTimeout, pollInterval)
        .run();
  }

  /**
   * Every way the key set differs from the spec, most severe first, each with the Region, what
   * differs, and the fix ({@link Finding#repairs()} says what {@link #apply} would do about it).
   * Same reads as {@link #plan}; changes nothing.
   *
   * @throws IllegalArgumentException if a spec Region has no client
   */
  public AuditReport audit(KeySetSpec spec) {
    kms.requireAll(spec.regions());
    KeySetState state = KeySetState.read(kms, spec);
    return new AuditReport(spec.alias(), state.keyId, Auditor.findings(spec, state, kms));
  }

  /**
   * A disaster-recovery readiness drill for a multi-Region key: in every Region, DescribeKey (key
   * state), GetKeyPolicy (compared across Regions) and GenerateDataKey (Sign for signing keys);
   * then every data key (signature) made in one Region is decrypted (verified) in every Region,
   * through that Region's own client and replica ARN: no cross-Region calls.
   *
   * <p>Bounded: at most {@code 3N + N²} KMS calls for N Regions (18 for 3 Regions: the matrix
   * includes its diagonal), run in parallel, each ending after the {@linkplain Builder#callTimeout
   * call timeout}; a Region that does not answer its first call gets no more, and its row and
   * column fail with its error. The drill takes at most about 4 call timeouts, and about one when a
   * Region is down. Usable as a start-up readiness check ({@link DrillReport#ready()}).
   *
   * @param keyArn the key's ARN in any Region ({@code arn:aws:kms:…:key/mrk-…})
   * @param regions the Regions to drill, each with a client
   * @throws IllegalArgumentException if the ARN is not a multi-Region key's, or a Region has no
   *     client
   */
  public DrillReport drill(String keyArn, List<String> regions) {
    return new Driller(kms, Objects.requireNonNull(keyArn, "keyArn"), regions).run();
  }

  /** Closes the clients this admin built from a {@link Builder#clientFactory}; others stay open. */
  @Override
  public void close() {
    owned.forEach(KmsClient::close);
  }

  @Override
  public String toString() {
    return "MrkAdmin{regions=" + kms.regions() + ", callTimeout=" + kms.callTimeout + "}";
  }

  /**
   * Configures a {@link MrkAdmin}. Clients come from exactly one of: {@link #router} (the router's
   * per-Region clients), {@link #clients} (a map), or {@link #regions} with an optional {@link
   * #clientFactory} (default: a default SDK client per Region). Not thread-safe.
   */
  public static final class Builder {
    private KmsRouter router;
    private Map<String, KmsClient> clients;
    private List<String> regions;
    private Function<String, KmsClient> clientFactory;
    private Duration callTimeout = Duration.ofSeconds(5);
    private Duration replicaWaitTimeout = Duration.ofMinutes(5);
    private Duration pollInterval = Duration.ofSeconds(2);

    private Builder() {}

    /** Use the router's SDK client of each of its Regions (the router keeps owning them). */
    public Builder router(KmsRouter router) {
      this.router = Objects.requireNonNull(router, "router");
      return this;
    }

    /** Use these SDK clients, by Region (the caller keeps owning them). */
    public Builder clients(Map<String, KmsClient> clients) {
      this.clients = new LinkedHashMap<>(clients);
      return this;
    }

    /** The Regions to build clients for, with {@link #clientFactory}. */
    public Builder regions(String... regions) {
      this.regions = List.of(regions);
      return this;
    }

    /** The Regions to build clients for, with {@link #clientFactory}. */
    public Builder regions(List<String> regions) {
      this.regions = List.copyOf(regions);
      return this;
    }

    /** Builds the client of each of {@link #regions}; {@link #close()} closes them. */
    public Builder clientFactory(Function<String, KmsClient> factory) {
      this.clientFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * The timeout of every KMS call (default 5 s); for {@link MrkAdmin#drill} as a readiness check,
     * use the router's call timeout.
     */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = positive("callTimeout", timeout);
      return this;
    }

    /** How long apply waits for a new replica to leave {@code Creating} (default 5 min). */
    public Builder replicaWaitTimeout(Duration timeout) {
      this.replicaWaitTimeout = positive("replicaWaitTimeout", timeout);
      return this;
    }

    /** How often apply polls a new replica's state (default 2 s). */
    public Builder pollInterval(Duration interval) {
      this.pollInterval = positive("pollInterval", interval);
      return this;
    }

    private static Duration positive(String name, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }

    /**
     * Builds the admin.
     *
     * @throws IllegalStateException unless exactly one client source is set
     */
    public MrkAdmin build() {
      int sources =
          (router != null ? 1 : 0) + (clients != null ? 1 : 0) + (regions != null ? 1 : 0);
      if (sources != 1) {
        throw new IllegalStateException(
            "set exactly one of router(...), clients(...) or regions(...) on MrkAdmin.builder()");
      }
      if (clientFactory != null && regions == null) {
        throw new IllegalStateException("clientFactory needs regions(...) on MrkAdmin.builder()");
      }
      Map<String, KmsClient> m = new LinkedHashMap<>();
      List<KmsClient> owned = new ArrayList<>();
      if (router != null) {
        router.regions().forEach(r -> m.put(r, router.client(r)));
      } else if (clients != null) {
        clients.forEach((r, c) -> m.put(r, Objects.requireNonNull(c, "client for " + r)));
      } else {
        Function<String, KmsClient> f =
            clientFactory != null
                ? clientFactory
                : r ->
                    KmsClient.builder().region(software.amazon.awssdk.regions.Region.of(r)).build();
        for (String r : regions) {
          KmsClient c = Objects.requireNonNull(f.apply(r), "clientFactory returned null for " + r);
          m.put(r, c);
          owned.add(c);
        }
      }
      if (m.isEmpty()) {
        throw new IllegalStateException("MrkAdmin needs at least one Region");
      }
      for (String r : m.keySet()) {
        if (!KeySetSpec.REGION.matcher(r).matches()) {
          throw new IllegalArgumentException("not a Region name: " + r + "; use e.g. eu-west-1");
        }
      }
      return new MrkAdmin(this, m, owned);
    }
  }
}
