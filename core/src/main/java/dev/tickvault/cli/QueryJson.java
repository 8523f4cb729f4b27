package dev.tickvault.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tickvault.ingest.TimeFormats;
import dev.tickvault.model.DecimalFormat;
import dev.tickvault.model.GapMarker;
import dev.tickvault.output.JsonTradeOutput;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.List;

/**
 * Helpers shared by the query commands: gap warnings on standard error, and a JSON generator that puts each
 * element of an array on its own line. Decimals and times are JSON strings (exact; 64-bit safe).
 */
final class QueryJson {

    private QueryJson() {}

    static JsonGenerator generator(Writer out) throws IOException {
        return new JsonFactory()
                .createGenerator(out)
                .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                .setPrettyPrinter(new JsonTradeOutput.OneObjectPerLine());
    }

    static void timeField(JsonGenerator json, String name, long tsNanos) throws IOException {
        json.writeStringField(name, TimeFormats.format(tsNanos));
    }

    static void decimalField(JsonGenerator json, String name, long mantissa, int scale) throws IOException {
        json.writeStringField(name, DecimalFormat.toString(mantissa, scale));
    }

    /** Writes {@code "gaps":[{"exchange":…,"symbol":…,"channel":…,"from":…,"to":…,"reason":…},…]}. */
    static void gapsField(JsonGenerator json, List<GapMarker> gaps) throws IOException {
        json.writeArrayFieldStart("gaps");
        for (GapMarker gap : gaps) {
            json.writeStartObject();
            json.writeStringField("exchange", gap.series().exchange());
            json.writeStringField("symbol", gap.series().symbol());
            json.writeStringField("channel", gap.channel());
            timeField(json, "from", gap.fromNanos());
            timeField(json, "to", gap.toNanos());
            json.writeStringField("reason", gap.reason());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /** One warning line per gap marker on standard error: results in that span may be incomplete. */
    static void warnGaps(PrintWriter err, String command, List<GapMarker> gaps) {
        for (GapMarker gap : gaps) {
            err.println(command + ": warning: gap in " + gap.series() + " " + gap.channel() + " from "
                    + TimeFormats.format(gap.fromNanos()) + " to " + TimeFormats.format(gap.toNanos()) + " ("
                    + gap.reason() + "): data in that span may be missing");
        }
        err.flush();
    }
}
