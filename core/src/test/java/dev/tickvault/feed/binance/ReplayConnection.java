package dev.tickvault.feed.binance;

import dev.tickvault.feed.FeedConnection;
import java.util.ArrayList;
import java.util.List;

/** A connection of a replay: remembers what the handler sent and asked for. */
final class ReplayConnection implements FeedConnection {

    final String name;
    final List<String> sent = new ArrayList<>();
    final List<String> reconnects = new ArrayList<>();
    int rotations;

    ReplayConnection(String name) {
        this.name = name;
    }

    @Override
    public void send(String text) {
        sent.add(text);
    }

    @Override
    public void reconnect(String reason) {
        reconnects.add(reason);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void rotate() {
        rotations++;
    }
}
