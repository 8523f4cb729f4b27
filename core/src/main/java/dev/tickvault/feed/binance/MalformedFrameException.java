package dev.tickvault.feed.binance;

/** A frame that is not what Binance sends; thrown and caught inside the parser only, without a stack trace. */
final class MalformedFrameException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedFrameException(String message) {
        super(message, null, false, false);
    }
}
