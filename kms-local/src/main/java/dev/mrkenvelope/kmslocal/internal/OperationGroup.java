package dev.mrkenvelope.kmslocal.internal;

/**
 * The base of each operation group (key lifecycle, aliases, ...): the store and the access checks
 * every group works with. Groups are registered in {@link KmsService}'s one table.
 */
abstract class OperationGroup {
  final KmsStore store;
  final Access access;

  OperationGroup(KmsStore store, Access access) {
    this.store = store;
    this.access = access;
  }
}
