package dev.tickvault.ingest;

/** Shows how far an import has read its file, in bytes. Implementations need not be thread-safe. */
public interface ImportProgress extends AutoCloseable {

    /** Progress that shows nothing. */
    ImportProgress NONE = new ImportProgress() {
        @Override
        public void update(long bytesRead) {}

        @Override
        public void close() {}
    };

    /** {@code bytesRead} of the file have been consumed. */
    void update(long bytesRead);

    /** The import of this file ended (successfully or not). */
    @Override
    void close();
}
