/**
 * mrk-envelope core: the AWS Encryption SDK message format, keyrings, materials managers, the
 * data-key cache and streams. No AWS SDK dependency.
 */
// "module": the qualified export names a module compiled after this one.
@SuppressWarnings("module")
module dev.mrkenvelope {
  exports dev.mrkenvelope;
  exports dev.mrkenvelope.keyring;
  exports dev.mrkenvelope.materials;

  // Optional: only a client given a MeterRegistry touches Micrometer, and whoever builds a
  // registry reads micrometer.core already (not transitive, or compiling against core would need
  // it; hence -Xlint:-exports for MeterRegistry in core's API, see the POM).
  requires static micrometer.core;
  requires org.bouncycastle.provider;
  requires com.github.benmanes.caffeine;
}
