package dev.mrkenvelope.cli;

/** {@code --output} of the admin commands, as in the AWS CLI. */
enum OutputFormat {
  TABLE,
  JSON
}
