/**
 * mrk-envelope AWS adapter: keyrings for AWS KMS multi-Region keys and the {@link
 * dev.mrkenvelope.aws.KmsRouter}, which sends each KMS call to the best allowed replica and fails
 * over, hedges and circuit-breaks per Region; and {@code dev.mrkenvelope.aws.admin}, which
 * provisions, audits and drills multi-Region key sets. Only those two packages are exported.
 *
 * <p>{@code KmsClient} appears in the API ({@code KmsRouter.Builder#clientFactory}), hence the
 * transitive dependency on the SDK's (automatic) KMS module.
 */
@SuppressWarnings("requires-transitive-automatic")
module dev.mrkenvelope.aws {
  requires transitive dev.mrkenvelope;
  requires transitive software.amazon.awssdk.services.kms;
  requires software.amazon.awssdk.core;
  requires software.amazon.awssdk.awscore;
  requires software.amazon.awssdk.regions;
  requires software.amazon.awssdk.http.urlconnection;
  requires software.amazon.awssdk.http;
  requires software.amazon.awssdk.retries.api;
  requires software.amazon.awssdk.retries;
  requires software.amazon.awssdk.utils;
  // Optional (KmsRouter.Builder#meterRegistry): a router without a registry never loads it.
  requires static micrometer.core;
  requires com.fasterxml.jackson.databind;

  exports dev.mrkenvelope.aws;
  exports dev.mrkenvelope.aws.admin;
}
