package dev.tickvault.model;

/** A decimal string that is malformed, or whose value does not fit a 64-bit mantissa at scale ≤ 18. */
public final class DecimalFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public DecimalFormatException(String message) {
        super(message);
    }
}
