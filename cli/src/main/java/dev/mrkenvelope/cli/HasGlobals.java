package dev.mrkenvelope.cli;

/** A command with the global options, so the error handler can honour {@code --debug}. */
interface HasGlobals {
  GlobalOptions globals();
}
