package dev.tickvault.cli;

/** Output formats of the query commands. */
enum OutputFormat {
    CSV,
    JSON
}
