package dev.tickvault.store.wal;

import java.io.IOException;
import java.nio.file.Path;

/** Test seam: the one place where the log's file I/O can be made to fail. Production code uses {@link #NONE}. */
interface IoFaults {

    IoFaults NONE = new IoFaults() {};

    /** Called before bytes are written to {@code file}. */
    default void beforeWrite(Path file) throws IOException {}

    /** Called before {@code file} is fsynced. */
    default void beforeForce(Path file) throws IOException {}
}
