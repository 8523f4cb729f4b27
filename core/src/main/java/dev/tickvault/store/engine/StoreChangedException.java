package dev.tickvault.store.engine;

/**
 * A read-only view of a store could not be built because the writing process changed the directory meanwhile (it
 * deleted log segments after a checkpoint, or kept adding partition files): the reader starts again. Never escapes
 * {@link ReadOnlyStore}, which retries and, if the directory never settles, reports a {@code StorageException}.
 */
final class StoreChangedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    StoreChangedException(String message) {
        super(message, null, false, false);
    }
}
