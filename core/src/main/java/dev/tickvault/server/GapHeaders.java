package dev.tickvault.server;

import dev.tickvault.ingest.TimeFormats;
import dev.tickvault.model.GapMarker;
import java.util.List;

/**
 * Reports the gap markers overlapping a queried range with a streamed result ({@code /api/v1/trades},
 * {@code /api/v1/bars}), in headers so the body keeps the same format as without gaps:
 *
 * <pre>
 * X-Tickvault-Gaps: 2
 * X-Tickvault-Gap: channel=trades; from=2024-08-08T23:54:13.000001000Z; to=2024-08-08T23:54:14.500000000Z; reason=reconnect
 * X-Tickvault-Gap: …
 * </pre>
 *
 * {@code X-Tickvault-Gaps} is always present (0 when the range has no gap) and always the exact count; at most
 * {@value #MAX_LISTED} gaps are listed, the rest are at {@code /api/v1/gaps} for the same range.
 */
final class GapHeaders {

    static final String COUNT = "X-Tickvault-Gaps";
    static final String GAP = "X-Tickvault-Gap";
    static final int MAX_LISTED = 50;

    private GapHeaders() {}

    static void add(ApiResponse response, List<GapMarker> gaps) {
        response.addHeader(COUNT, Integer.toString(gaps.size()));
        StringBuilder value = new StringBuilder(160);
        for (int i = 0; i < Math.min(gaps.size(), MAX_LISTED); i++) {
            GapMarker gap = gaps.get(i);
            value.setLength(0);
            value.append("channel=").append(gap.channel()).append("; from=");
            TimeFormats.appendIso(value, gap.fromNanos());
            value.append("; to=");
            TimeFormats.appendIso(value, gap.toNanos());
            value.append("; reason=").append(gap.reason());
            response.addHeader(GAP, value.toString());
        }
    }
}
