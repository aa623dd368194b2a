/**
 * mrk-envelope JOSE: a Nimbus JOSE+JWT {@code JWSSigner} backed by {@link
 * dev.mrkenvelope.aws.MrkSigner}, so that JWTs are signed by AWS KMS in the nearest healthy replica
 * of a multi-Region key. Only {@code dev.mrkenvelope.jose} is exported.
 */
module dev.mrkenvelope.jose {
  requires transitive dev.mrkenvelope.aws;
  requires transitive com.nimbusds.jose.jwt;

  exports dev.mrkenvelope.jose;
}
