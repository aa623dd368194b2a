package dev.mrkenvelope.testkit;

import dev.mrkenvelope.kmslocal.LocalKms;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;

/**
 * A JUnit 5 extension that runs a multi-region {@link LocalKms} for a test class: it starts
 * kms-local before the class's first test, creates multi-region keys on request, injects the
 * kms-local, one SDK {@link KmsClient} per region and whatever else the builder was told to
 * {@linkplain Builder#provide provide} (a {@code KmsRouter}, say), heals every injected fault after
 * each test, and closes everything after the class.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final LocalKmsExtension kms =
 *     LocalKmsExtension.builder().regions("us-east-1", "eu-west-1").build();
 *
 * @Test
 * void decryptsInEuWest1_whenUsEast1IsDown(
 *     @MultiRegionKey String keyArn, @InRegion("eu-west-1") KmsClient eu, LocalKms local) {
 *   local.faults("us-east-1").outage();   // healed after this test
 *   ...
 * }
 * }</pre>
 *
 * <p>Register it in a {@code static} field with {@code @RegisterExtension} (to configure it and
 * call it from tests), or with {@code @ExtendWith(LocalKmsExtension.class)} on the class for the
 * defaults: regions {@code us-east-1} and {@code eu-west-1}, account {@value #DEFAULT_ACCOUNT}.
 * {@code @Nested} classes share the enclosing class's kms-local.
 *
 * <p>Injectable parameters: {@link LocalKms}; {@link KmsClient} (with {@link InRegion} unless there
 * is one region; one client per region, no SDK retries, see {@link SdkClients}); {@code String}
 * annotated with {@link MultiRegionKey} (a new key's ARN); every type given to {@link
 * Builder#provide} (built once per class, closed after it if {@link AutoCloseable}).
 *
 * <p>The first AWS SDK call in a JVM takes seconds (class loading); so that a test's short timeouts
 * measure kms-local and not the JVM, the first start in a JVM makes a few calls and then resets the
 * request counters.
 *
 * <p>Where JUnit extensions do not run (jqwik properties), build one in a static field, call its
 * accessors (they start kms-local on first use), {@link #healAll} between tries and {@link #close}
 * when the container is done.
 *
 * <p>Thread-safe. Faults are per region, not per test: tests of one class that inject faults must
 * not run concurrently.
 */
@SuppressWarnings({
  "try" // close rethrows whatever a registered resource threw; it blocks on nothing
})
public final class LocalKmsExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver,
        AutoCloseable {
  /** The account of a {@code LocalKmsExtension} built without {@link Builder#account}. */
  public static final String DEFAULT_ACCOUNT = "111122223333";

  private static final List<String> DEFAULT_REGIONS = List.of("us-east-1", "eu-west-1");
  private static final int WARM_UP_ROUND_TRIPS = 20;
  private static final AtomicBoolean WARM = new AtomicBoolean();

  private final List<String> regions;
  private final String account;
  private final Optional<Duration> replicaCreation;
  private final Map<Class<?>, Function<? super LocalKmsExtension, ?>> providers;

  // Guarded by this.
  private int activeClasses;
  private LocalKms kms;
  private final Map<String, KmsClient> clients = new LinkedHashMap<>();
  private final Map<Class<?>, Object> provided = new LinkedHashMap<>();
  private final Deque<AutoCloseable> toClose = new ArrayDeque<>();

  /**
   * The extension with the defaults (regions {@code us-east-1} and {@code eu-west-1}, account
   * {@value #DEFAULT_ACCOUNT}), for {@code @ExtendWith(LocalKmsExtension.class)}.
   */
  public LocalKmsExtension() {
    this(builder());
  }

  private LocalKmsExtension(Builder b) {
    this.regions = List.copyOf(b.regions);
    this.account = b.account;
    this.replicaCreation = b.replicaCreation;
    this.providers = Map.copyOf(b.providers);
  }

  /** A builder with the defaults of {@link #LocalKmsExtension()}. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts kms-local before the first test class (an enclosing class shares it with nested ones).
   */
  @Override
  public synchronized void beforeAll(ExtensionContext context) {
    activeClasses++;
    started();
  }

  /** Closes everything once the outermost class is done. */
  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    synchronized (this) {
      if (--activeClasses > 0) {
        return;
      }
    }
    close();
  }

  /** Refuses to run per test: kms-local starts once per class. */
  @Override
  public synchronized void beforeEach(ExtensionContext context) {
    if (activeClasses == 0) {
      throw new ExtensionConfigurationException(
          "LocalKmsExtension runs once per test class, but it was registered per test: declare"
              + " the @RegisterExtension field static, or use @ExtendWith(LocalKmsExtension.class)");
    }
  }

  /** Heals every fault in every region, so one test's outage never leaks into the next. */
  @Override
  public void afterEach(ExtensionContext context) {
    healAll();
  }

  /** Whether {@link #resolveParameter} can inject this parameter (see the class comment). */
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    return type == LocalKms.class
        || type == KmsClient.class
        || (type == String.class && parameter.isAnnotated(MultiRegionKey.class))
        || providers.containsKey(type);
  }

  /**
   * Injects the kms-local, a region's client, a new multi-region key's ARN or a provided object.
   */
  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    Class<?> type = parameter.getParameter().getType();
    if (type == LocalKms.class) {
      return kms();
    }
    if (type == KmsClient.class) {
      return client(regionOf(parameter));
    }
    if (type == String.class && parameter.isAnnotated(MultiRegionKey.class)) {
      String primary = parameter.findAnnotation(MultiRegionKey.class).orElseThrow().primary();
      return primary.isEmpty() ? createMultiRegionKey() : createMultiRegionKey(primary);
    }
    return get(type);
  }

  private String regionOf(ParameterContext parameter) {
    return parameter
        .findAnnotation(InRegion.class)
        .map(InRegion::value)
        .orElseGet(
            () -> {
              if (regions.size() != 1) {
                throw new ParameterResolutionException(
                    "which region's KmsClient? This LocalKmsExtension serves "
                        + regions
                        + "; annotate the parameter, e.g. @InRegion(\""
                        + regions.get(0)
                        + "\") KmsClient");
              }
              return regions.get(0);
            });
  }

  /** The running kms-local. */
  public synchronized LocalKms kms() {
    return started();
  }

  /** The regions kms-local serves, in the order given to the builder. */
  public List<String> regions() {
    return regions;
  }

  /** The AWS account id of every key. */
  public String account() {
    return account;
  }

  /**
   * The SDK client for {@code region} (one per region, built by {@link SdkClients#sdkClient},
   * closed after the class).
   *
   * @throws IllegalArgumentException if kms-local does not serve {@code region}
   */
  public synchronized KmsClient client(String region) {
    LocalKms k = started();
    return clients.computeIfAbsent(region, r -> SdkClients.sdkClient(k, r));
  }

  /**
   * {@link #client} as a function, e.g. for {@code KmsRouter.Builder#clientFactory}; the clients
   * stay this extension's to close.
   */
  public Function<String, KmsClient> clientFactory() {
    return this::client;
  }

  /**
   * A new multi-region key, primary in the first region and replicated to every other region.
   *
   * @return its ARN in the first region
   */
  public String createMultiRegionKey() {
    return createMultiRegionKey(regions.get(0));
  }

  /**
   * A new multi-region key, primary in {@code primary} and replicated to every other region.
   *
   * @return its ARN in {@code primary}
   * @throws IllegalArgumentException if kms-local does not serve {@code primary}
   */
  public String createMultiRegionKey(String primary) {
    Objects.requireNonNull(primary, "primary");
    if (!regions.contains(primary)) {
      throw new IllegalArgumentException(
          "primary region " + primary + " is not served; this LocalKmsExtension serves " + regions);
    }
    String[] replicas = regions.stream().filter(r -> !r.equals(primary)).toArray(String[]::new);
    LocalKms k = kms();
    // Created directly, not over HTTP, so that no fault applies and no request is counted.
    return k.keyArn(primary, k.createMultiRegionKey(primary, replicas));
  }

  /**
   * A new asymmetric multi-region signing key, created through the SDK as {@code aws kms create-key
   * --multi-region --key-spec … --key-usage SIGN_VERIFY} then {@code replicate-key} would.
   * kms-local makes the key pair on first use (seconds for RSA-4096 on a busy machine), so this
   * also fetches the public key once with a patient client: a test's routed call with short
   * timeouts does not pay for it.
   *
   * @return its ARN in {@code primary}
   */
  public String createSigningMultiRegionKey(KeySpec spec, String primary, String... replicas) {
    KmsClient admin = client(primary);
    String arn =
        admin
            .createKey(b -> b.keySpec(spec).keyUsage(KeyUsageType.SIGN_VERIFY).multiRegion(true))
            .keyMetadata()
            .arn();
    for (String r : replicas) {
      admin.replicateKey(b -> b.keyId(arn).replicaRegion(r));
    }
    try (KmsClient patient =
        SdkClients.builder(kms(), primary)
            .httpClientBuilder(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(2))
                    .socketTimeout(Duration.ofSeconds(120)))
            .build()) {
      patient.getPublicKey(b -> b.keyId(arn));
    }
    return arn;
  }

  /**
   * The ARN of the same key in another region (multi-region replicas share the key id), e.g. the
   * {@code eu-west-1} replica of a key created in {@code us-east-1}.
   *
   * @throws IllegalArgumentException if {@code keyArn} is not a key ARN or {@code region} is not
   *     served
   */
  public String arnIn(String region, String keyArn) {
    int at = keyArn.lastIndexOf(":key/");
    if (!keyArn.startsWith("arn:") || at < 0) {
      throw new IllegalArgumentException(
          "not a key ARN: " + keyArn + "; expected arn:aws:kms:<region>:<account>:key/<key id>");
    }
    return kms().keyArn(region, keyArn.substring(at + ":key/".length()));
  }

  /** Heals every fault in every region now (this also happens after each test). */
  public void healAll() {
    LocalKms k;
    synchronized (this) {
      k = kms;
    }
    if (k != null) {
      regions.forEach(r -> k.faults(r).heal());
    }
  }

  /**
   * The object of a type given to {@link Builder#provide}, built on first use and kept for the
   * class.
   *
   * @throws IllegalArgumentException if nothing provides {@code type}
   */
  public synchronized <T> T get(Class<T> type) {
    Function<? super LocalKmsExtension, ?> factory = providers.get(type);
    if (factory == null) {
      throw new IllegalArgumentException(
          "nothing provides "
              + type.getName()
              + "; add LocalKmsExtension.builder().provide("
              + type.getSimpleName()
              + ".class, kit -> ...)");
    }
    Object o = provided.get(type);
    if (o == null) {
      o =
          Objects.requireNonNull(
              factory.apply(this), "the provider of " + type.getName() + " returned null");
      provided.put(type, o);
      if (o instanceof AutoCloseable c) {
        toClose.push(c);
      }
    }
    return type.cast(o);
  }

  /**
   * Closes {@code resource} after the class, before the clients and kms-local (in reverse order of
   * registration).
   *
   * @return {@code resource}
   */
  public synchronized <T extends AutoCloseable> T closeAfterAll(T resource) {
    toClose.push(Objects.requireNonNull(resource, "resource"));
    return resource;
  }

  private LocalKms started() {
    if (kms == null) {
      LocalKms.Builder b = LocalKms.builder().regions(regions).account(account);
      replicaCreation.ifPresent(b::replicaCreation);
      kms = b.start();
      if (WARM.compareAndSet(false, true)) {
        warmUp(kms);
      }
    }
    return kms;
  }

  private void warmUp(LocalKms k) {
    String region = regions.get(0);
    String keyId = k.createKey(region);
    Map<String, String> context = Map.of("purpose", "warm-up");
    try (KmsClient c = SdkClients.sdkClient(k, region)) {
      for (int i = 0; i < WARM_UP_ROUND_TRIPS; i++) {
        GenerateDataKeyResponse dk =
            c.generateDataKey(b -> b.keyId(keyId).numberOfBytes(32).encryptionContext(context));
        SdkBytes blob = dk.ciphertextBlob();
        c.decrypt(b -> b.keyId(keyId).ciphertextBlob(blob).encryptionContext(context));
      }
    }
    k.resetRequestCounts();
  }

  /**
   * Closes what the extension opened (everything registered with {@link #closeAfterAll}, provided
   * objects, the SDK clients, kms-local), as after the last test class. JUnit calls it; call it
   * yourself only where JUnit extensions do not run, e.g. in a jqwik {@code @AfterContainer} method
   * of a class that uses the extension as a plain object (its accessors start kms-local on first
   * use). A later call to an accessor starts a new kms-local.
   */
  @Override
  public void close() throws Exception {
    List<AutoCloseable> all = new ArrayList<>();
    synchronized (this) {
      all.addAll(toClose);
      all.addAll(clients.values());
      if (kms != null) {
        all.add(kms);
      }
      toClose.clear();
      clients.clear();
      provided.clear();
      kms = null;
    }
    Exception first = null;
    for (AutoCloseable c : all) {
      try {
        c.close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public String toString() {
    return "LocalKmsExtension" + regions + " account " + account;
  }

  /** Configures a {@link LocalKmsExtension}; not thread-safe. */
  public static final class Builder {
    private final List<String> regions = new ArrayList<>(DEFAULT_REGIONS);
    private String account = DEFAULT_ACCOUNT;
    private Optional<Duration> replicaCreation = Optional.empty();
    private final Map<Class<?>, Function<? super LocalKmsExtension, ?>> providers =
        new LinkedHashMap<>();

    private Builder() {}

    /**
     * The regions kms-local serves, e.g. {@code "us-east-1", "eu-west-1"}; the first is the default
     * primary region of new keys. Default {@code us-east-1, eu-west-1}.
     *
     * @throws IllegalArgumentException if none is given
     */
    public Builder regions(String... regions) {
      if (regions.length == 0) {
        throw new IllegalArgumentException(
            "regions must name at least one region, e.g. \"us-east-1\"");
      }
      this.regions.clear();
      for (String r : regions) {
        this.regions.add(Objects.requireNonNull(r, "regions contains null"));
      }
      return this;
    }

    /** The 12-digit AWS account id of every key. Default {@value #DEFAULT_ACCOUNT}. */
    public Builder account(String account) {
      this.account = Objects.requireNonNull(account, "account");
      return this;
    }

    /**
     * How long a replica made through the SDK ({@code ReplicateKey}, {@code CreateKey} then {@code
     * ReplicateKey}) stays {@code Creating} before it is usable; {@link Duration#ZERO} makes it
     * usable at once, for tests about calls rather than about waiting for replication. Default:
     * kms-local's own ({@link LocalKms.Builder#replicaCreation}). Keys made by {@link
     * #createMultiRegionKey} and {@link MultiRegionKey} are usable at once either way.
     *
     * @throws IllegalArgumentException if {@code replicaCreation} is negative
     */
    public Builder replicaCreation(Duration replicaCreation) {
      Objects.requireNonNull(replicaCreation, "replicaCreation");
      if (replicaCreation.isNegative()) {
        throw new IllegalArgumentException(
            "replicaCreation must be zero or positive, e.g. Duration.ZERO: " + replicaCreation);
      }
      this.replicaCreation = Optional.of(replicaCreation);
      return this;
    }

    /**
     * Makes {@code type} injectable: {@code factory} builds it from the running extension on first
     * use, once per class; it is closed after the class if it is {@link AutoCloseable}. For example
     * a router over kms-local's regions and clients: {@code provide(KmsRouter.class, kit ->
     * KmsRouter.builder().regions(kit.regions()).clientFactory(kit.clientFactory()).build())}.
     *
     * @throws IllegalArgumentException if {@code type} is one the extension injects itself
     */
    public <T> Builder provide(
        Class<T> type, Function<? super LocalKmsExtension, ? extends T> factory) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(factory, "factory");
      if (type == LocalKms.class || type == KmsClient.class || type == String.class) {
        throw new IllegalArgumentException(
            "LocalKmsExtension injects " + type.getSimpleName() + " itself; provide another type");
      }
      providers.put(type, factory);
      return this;
    }

    /**
     * The extension. kms-local starts when the test class starts, not here.
     *
     * @throws IllegalArgumentException if the regions or the account are not valid for kms-local
     */
    public LocalKmsExtension build() {
      // Validate now rather than when the class starts: LocalKms checks names when it starts.
      if (!account.matches("\\d{12}")) {
        throw new IllegalArgumentException(
            "account must be 12 digits, e.g. \"111122223333\": " + account);
      }
      if (regions.stream().distinct().count() != regions.size()) {
        throw new IllegalArgumentException("regions must not repeat: " + regions);
      }
      return new LocalKmsExtension(this);
    }
  }
}
