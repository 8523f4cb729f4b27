/**
 * Helpers shared by the JSON WebSocket feed handlers: exact timestamp text → nanoseconds, token text comparisons on
 * Jackson's streaming parser without allocating, a symbol table keyed by the characters of a JSON string, a buffer of
 * parsed book levels, and a rate-limited log of malformed frames.
 */
package dev.tickvault.feed.json;
