package dev.tickvault.store;

import java.time.Duration;

/** The ticket of a commit that had already succeeded when it was handed out. */
final class CompletedCommitTicket implements CommitTicket {

    static final CommitTicket INSTANCE = new CompletedCommitTicket();

    private CompletedCommitTicket() {}

    @Override
    public void await() {}

    @Override
    public boolean await(Duration timeout) {
        return true;
    }

    @Override
    public boolean isDone() {
        return true;
    }

    @Override
    public String toString() {
        return "CommitTicket[completed]";
    }
}
