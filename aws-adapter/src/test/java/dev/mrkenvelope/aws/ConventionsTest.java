package dev.mrkenvelope.aws;

import dev.mrkenvelope.conventions.ModuleConventionsTest;

/** This module's main code keeps the project's conventions (see {@link ModuleConventionsTest}). */
class ConventionsTest extends ModuleConventionsTest {}
