package dev.tickvault.query;

import dev.tickvault.model.GapMarker;
import dev.tickvault.model.SeriesKey;
import java.util.List;

/**
 * The book of one series at an instant: the top levels of each side (best first), where the replay started, and the
 * gap markers between that snapshot and the instant (a gap there means the book may be wrong).
 *
 * @param snapshotTsNanos time of the snapshot the book was rebuilt from
 * @param fromCheckpoint true if that snapshot is a tickvault checkpoint rather than a venue snapshot
 * @param lastEventTsNanos time of the last event applied (≤ atNanos)
 * @param crossed true if the best bid is above the best ask (reported, never fixed)
 */
public record BookAtResult(
        SeriesKey series,
        long atNanos,
        long snapshotTsNanos,
        boolean fromCheckpoint,
        long lastEventTsNanos,
        List<BookLevel> bids,
        List<BookLevel> asks,
        List<GapMarker> gaps,
        boolean crossed) {}
