/**
 * mrk-envelope core: the AWS Encryption SDK message format, keyrings, materials managers, the
 * data-key cache and streams. No AWS SDK dependency.
 */
// "module": the qualified export names a module compiled after this one. "requires-transitive-
// automatic": Micrometer's MeterRegistry is in the API and Micrometer is an automatic module.
// Micrometer is optional (static): only a client given a MeterRegistry touches it.
@SuppressWarnings({"module", "requires-transitive-automatic"})
module dev.mrkenvelope {
  exports dev.mrkenvelope;
  exports dev.mrkenvelope.keyring;
  exports dev.mrkenvelope.materials;
  // Shared helpers (serialization, AES-GCM), for the project's own modules only.
  exports dev.mrkenvelope.internal to
      dev.mrkenvelope.aws;

  requires static transitive micrometer.core;
  requires org.bouncycastle.provider;
  requires com.github.benmanes.caffeine;
}
