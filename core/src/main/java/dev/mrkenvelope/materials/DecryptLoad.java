package dev.mrkenvelope.materials;

/** A decrypt request against the cache: entries are limited by age only, never refreshed ahead. */
final class DecryptLoad implements SingleFlightLoader.Request<DecryptionMaterials> {
  private final MaterialsManager delegate;
  private final DecryptionMaterialsRequest request;
  private final UsageBudget budget;

  DecryptLoad(MaterialsManager delegate, DecryptionMaterialsRequest request, UsageBudget budget) {
    this.delegate = delegate;
    this.request = request;
    this.budget = budget;
  }

  @Override
  public DecryptionMaterials fetch() {
    return delegate.decryptMaterials(request);
  }

  @Override
  public DecryptionMaterials fetchUncached() {
    return delegate.decryptMaterials(request);
  }

  @Override
  public boolean cacheable(DecryptionMaterials m) {
    return m != null && m.algorithmSuite() == request.algorithmSuite() && m.hasPlaintextDataKey();
  }

  @Override
  public EvictionCause reserve(CacheEntry<DecryptionMaterials> entry, long now) {
    return budget.checkAge(entry, now);
  }

  @Override
  public CacheEntry<DecryptionMaterials> entry(
      DecryptionMaterials loaded, long now, boolean counted) {
    return CacheEntry.of(loaded, now, 0, 0);
  }

  @Override
  public boolean refreshDue(CacheEntry<DecryptionMaterials> entry, long now) {
    return false;
  }
}
