package dev.tickvault.feed.binance;

import dev.tickvault.feed.json.SentFrames;

/** A connection of a replay: remembers what the handler sent and asked for, and how often it was rotated. */
final class ReplayConnection extends SentFrames {

    int rotations;

    ReplayConnection(String name) {
        super(name);
    }

    @Override
    public void rotate() {
        rotations++;
    }
}
