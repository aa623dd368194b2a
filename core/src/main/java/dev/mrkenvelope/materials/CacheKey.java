package dev.mrkenvelope.materials;

import dev.mrkenvelope.internal.EncryptionContexts;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The data-key cache's key: the kind of entry, the ESDK cache identifier and a scope for what the
 * identifier does not cover but the materials depend on: on encrypt the required encryption context
 * keys (they change the header), on decrypt the reproduced encryption context (so a hit never skips
 * the wrapped manager's reproduced-context checks). Immutable.
 */
final class CacheKey {
  private static final byte[] NO_SCOPE = new byte[0];

  /** Encryption and decryption entries never share a key. */
  enum Kind {
    ENCRYPT,
    DECRYPT
  }

  private final Kind kind;
  private final byte[] identifier;
  private final byte[] scope;
  private final int hash;

  private CacheKey(Kind kind, byte[] identifier, byte[] scope) {
    this.kind = kind;
    this.identifier = identifier;
    this.scope = scope;
    // The identifier is a hash already: its first bytes are as good as any hash code.
    int h =
        (identifier[0] & 0xFF) << 24
            | (identifier[1] & 0xFF) << 16
            | (identifier[2] & 0xFF) << 8
            | (identifier[3] & 0xFF);
    this.hash = h ^ kind.ordinal() ^ (scope.length == 0 ? 0 : Arrays.hashCode(scope));
  }

  /** The key of an encryption request (whose suite, if any, is the one asked for). */
  static CacheKey forEncrypt(CacheIdentifiers ids, EncryptionMaterialsRequest request) {
    return new CacheKey(
        Kind.ENCRYPT,
        ids.forEncrypt(request.algorithmSuite().orElse(null), request.encryptionContext()),
        scopeOf(request.requiredEncryptionContextKeys()));
  }

  /** The key of a decryption request. */
  static CacheKey forDecrypt(CacheIdentifiers ids, DecryptionMaterialsRequest request) {
    Map<String, String> reproduced = request.reproducedEncryptionContext();
    return new CacheKey(
        Kind.DECRYPT,
        ids.forDecrypt(
            request.algorithmSuite(), request.encryptedDataKeys(), request.encryptionContext()),
        reproduced.isEmpty() ? NO_SCOPE : EncryptionContexts.serialize(reproduced));
  }

  private static byte[] scopeOf(Set<String> requiredKeys) {
    if (requiredKeys.isEmpty()) {
      return NO_SCOPE;
    }
    Map<String, String> asContext = new TreeMap<>();
    for (String k : requiredKeys) {
      asContext.put(k, "");
    }
    return EncryptionContexts.serialize(asContext);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CacheKey)) {
      return false;
    }
    CacheKey k = (CacheKey) o;
    return kind == k.kind
        && Arrays.equals(identifier, k.identifier)
        && Arrays.equals(scope, k.scope);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
