/**
 * Materials managers: the {@link dev.mrkenvelope.materials.MaterialsManager} service-provider
 * interface that hands the client the data key and everything else a message is encrypted or
 * decrypted with, the materials and requests it exchanges, and the managers of the AWS Encryption
 * SDK: {@link dev.mrkenvelope.materials.DefaultMaterialsManager} (over one keyring), {@link
 * dev.mrkenvelope.materials.RequiredEncryptionContextMaterialsManager} (required encryption
 * context) and {@link dev.mrkenvelope.materials.CachingMaterialsManager} (the data-key cache).
 *
 * <p><b>Layering.</b> The client calls a materials manager; a manager calls a keyring ({@link
 * dev.mrkenvelope.keyring}) or wraps another manager. Managers never see messages, only requests
 * built from the header. The client checks what a manager returns (suite, data key, encryption
 * context) rather than trust it.
 *
 * <p><b>Thread safety.</b> Managers, materials and requests are immutable and thread-safe (a
 * manager that wraps others, if they are); builders are not. Implementations of {@link
 * dev.mrkenvelope.materials.MaterialsManager} must be thread-safe: one manager serves every thread
 * of a client. Materials copy byte arrays in and out; callers should zero the data-key copies they
 * take.
 *
 * <p><b>Nulls.</b> No parameter accepts {@code null} unless its documentation says so (the optional
 * signing and verification keys of the materials' factories, the optional suite of a request); a
 * {@code null} argument fails at once with a {@link java.lang.NullPointerException} naming it.
 * Public methods never return {@code null}: absent values are empty {@code Optional}s.
 */
package dev.mrkenvelope.materials;
