/**
 * kms-local: an in-process, multi-region AWS KMS emulator that speaks the real awsJson1.1 wire
 * protocol, with fault injection. The only exported package is {@code dev.mrkenvelope.kmslocal};
 * start with {@link dev.mrkenvelope.kmslocal.LocalKms#builder()}.
 */
module dev.mrkenvelope.kmslocal {
  requires com.fasterxml.jackson.databind;

  exports dev.mrkenvelope.kmslocal;
}
