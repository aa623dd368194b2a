package dev.mrkenvelope.aws;

/**
 * Where {@link AwsKmsMrkKeyring} asks for data keys (GenerateDataKey, Encrypt). Whatever the
 * choice, a data key wrapped by one replica can be unwrapped by every replica of the key.
 */
public enum EncryptRegion {
  /**
   * The default: the configured key ARN's own Region first, when the router allows it and its
   * breaker lets it, so that the encrypted data key names exactly the configured ARN, as the ESDK's
   * MRK-aware keyring writes it, and a reader that is not MRK-aware, configured with that ARN, can
   * decrypt. On a failure that moves on, the other Regions follow in router order; the encrypted
   * data key then names the replica that answered.
   */
  KEY_REGION,

  /**
   * The router's order ({@link KmsRouter.Builder#regions} or measured latency), for active-active
   * writers that want the nearest replica; the encrypted data key names the replica that answered,
   * which only MRK-aware readers match to the configured ARN.
   */
  ROUTER_ORDER
}
