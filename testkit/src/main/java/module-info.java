/**
 * mrk-envelope testkit: a JUnit 5 extension that runs kms-local for a test class, and fake
 * keyrings, for this project's tests and for users who rehearse a region outage in their own tests.
 * The only exported package is {@code dev.mrkenvelope.testkit}; start with {@link
 * dev.mrkenvelope.testkit.LocalKmsExtension}.
 *
 * <p>{@code KmsClient}, the SDK credentials provider and JUnit's extension types appear in the API,
 * hence the transitive dependencies (the AWS SDK's KMS module is an automatic module).
 */
@SuppressWarnings("requires-transitive-automatic")
module dev.mrkenvelope.testkit {
  requires transitive dev.mrkenvelope;
  requires transitive dev.mrkenvelope.kmslocal;
  requires transitive org.junit.jupiter.api;
  requires transitive software.amazon.awssdk.services.kms;
  requires transitive software.amazon.awssdk.auth;
  requires software.amazon.awssdk.awscore;
  requires software.amazon.awssdk.core;
  requires software.amazon.awssdk.http;
  requires software.amazon.awssdk.http.urlconnection;
  requires software.amazon.awssdk.regions;

  exports dev.mrkenvelope.testkit;
}
