package dev.mrkenvelope.kmslocal.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One KMS operation: a request body in one Region turned into a response body, or a {@link
 * KmsError}.
 */
@FunctionalInterface
interface Operation {
  ObjectNode run(String region, JsonRequest request);
}
