package dev.mrkenvelope.materials;

import dev.mrkenvelope.AlgorithmSuite;

/** An encrypt request against the cache: what to fetch, what may be cached, how usage counts. */
final class EncryptLoad implements SingleFlightLoader.Request<EncryptionMaterials> {
  private final MaterialsManager delegate;
  private final EncryptionMaterialsRequest request;
  private final UsageBudget budget;
  private final long bytes;

  EncryptLoad(MaterialsManager delegate, EncryptionMaterialsRequest request, UsageBudget budget) {
    this.delegate = delegate;
    this.request = request;
    this.budget = budget;
    this.bytes = request.plaintextLength().orElseThrow();
  }

  @Override
  public EncryptionMaterials fetch() {
    // The materials may serve many messages: announce the most they may encrypt, not this
    // message's length (as the ESDK specification requires).
    EncryptionMaterialsRequest.Builder upstream =
        EncryptionMaterialsRequest.builder()
            .encryptionContext(request.encryptionContext())
            .requiredEncryptionContextKeys(request.requiredEncryptionContextKeys())
            .commitmentPolicy(request.commitmentPolicy())
            .plaintextLength(budget.maxBytes);
    request.algorithmSuite().ifPresent(upstream::algorithmSuite);
    return delegate.getEncryptionMaterials(upstream.build());
  }

  @Override
  public EncryptionMaterials fetchUncached() {
    return delegate.getEncryptionMaterials(request);
  }

  /** Only complete materials of a KDF suite (the one asked for, if any) are shared. */
  @Override
  public boolean cacheable(EncryptionMaterials m) {
    AlgorithmSuite suite = m == null ? null : m.algorithmSuite();
    return suite != null
        && suite.hasKdf()
        && request.algorithmSuite().map(s -> s == suite).orElse(true)
        && m.hasPlaintextDataKey()
        && !m.encryptedDataKeys().isEmpty();
  }

  @Override
  public EvictionCause reserve(CacheEntry<EncryptionMaterials> entry, long now) {
    return budget.reserve(entry, bytes, now);
  }

  @Override
  public CacheEntry<EncryptionMaterials> entry(
      EncryptionMaterials loaded, long now, boolean counted) {
    // The loading thread's own message is the entry's first use, unless it was served elsewhere.
    return counted ? CacheEntry.of(loaded, now, 1, bytes) : CacheEntry.of(loaded, now, 0, 0);
  }

  @Override
  public boolean refreshDue(CacheEntry<EncryptionMaterials> entry, long now) {
    return budget.refreshDue(entry, now);
  }
}
