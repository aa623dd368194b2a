/**
 * AWS KMS keyrings for multi-Region keys ({@link dev.mrkenvelope.aws.AwsKmsMrkKeyring}, {@link
 * dev.mrkenvelope.aws.AwsKmsMrkDiscoveryKeyring}) and the {@link dev.mrkenvelope.aws.KmsRouter}
 * they share. What the keyrings write into encrypted data keys is exactly what the AWS Encryption
 * SDK's KMS keyrings write, so messages move freely between the two.
 */
package dev.mrkenvelope.aws;
