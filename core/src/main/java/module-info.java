/**
 * mrk-envelope core: the AWS Encryption SDK message format, keyrings, materials managers, the
 * data-key cache and streams. No AWS SDK dependency.
 */
module dev.mrkenvelope {
  exports dev.mrkenvelope;
  exports dev.mrkenvelope.keyring;
  exports dev.mrkenvelope.materials;

  requires transitive micrometer.core;
  requires org.bouncycastle.provider;
  requires com.github.benmanes.caffeine;
}
