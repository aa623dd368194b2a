/**
 * {@link dev.mrkenvelope.jose.MrkJwsSigner}: JWS and JWT signing with AWS KMS multi-Region keys
 * through Nimbus JOSE+JWT, with the matching verifier and a public JWK for a JWKS.
 */
package dev.mrkenvelope.jose;
