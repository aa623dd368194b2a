package dev.mrkenvelope.conventions;

/** This module's main code keeps the project's conventions (see {@link ModuleConventionsTest}). */
class ConventionsTest extends ModuleConventionsTest {}
