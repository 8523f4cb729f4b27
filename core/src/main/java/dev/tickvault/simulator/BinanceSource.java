package dev.tickvault.simulator;

/** Where a {@link BinanceMarket}'s messages come from. Called on the simulator's event loop only. */
interface BinanceSource {

    /** Creates the market's symbols with their starting books. */
    void seed(BinanceMarket market);

    /**
     * Publishes (through {@link BinanceMarket#publish}) the messages due {@code elapsedNanos} after the start, at
     * most {@code maxMessages}; with {@code fast}, the next {@code maxMessages} regardless of time.
     *
     * @return how many were published
     */
    int emit(BinanceMarket market, long elapsedNanos, boolean fast, int maxMessages);

    /** True if messages go out as fast as the clients read them (else paced by time). */
    boolean fast();

    /** True when there is nothing more to send. */
    boolean finished();

    /** Messages published so far. */
    long published();
}
