package dev.tickvault.feed.json;

import dev.tickvault.feed.FeedConnection;
import java.util.ArrayList;
import java.util.List;

/** A {@link FeedConnection} that records what a handler sends and reconnect requests (tests, replays). */
public class SentFrames implements FeedConnection {

    public final List<String> sent = new ArrayList<>();
    public final List<String> reconnects = new ArrayList<>();
    private final String name;

    public SentFrames(String name) {
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
}
