package dev.tickvault.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Serves the web dashboard's files from the jar ({@code dev/tickvault/server/dashboard/}, with lightweight-charts
 * bundled under {@code vendor/} at build time): no network needed at run time. Only plain relative names are served
 * (letters, digits, {@code . _ - /}, no {@code ..}); anything else is a 404.
 */
final class DashboardAssets {

    static final String PREFIX = "/dashboard/";
    private static final String ROOT = "dev/tickvault/server/dashboard/";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._/-]{1,200}");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "txt", "text/plain; charset=utf-8");

    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    void serve(ApiRequest request, ApiResponse response) throws IOException {
        String name = request.path().substring(PREFIX.length());
        if (name.isEmpty()) {
            name = "index.html";
        }
        if (!SAFE.matcher(name).matches() || name.contains("..") || name.startsWith("/")) {
            throw new BadRequestException(404, null, "no such file");
        }
        byte[] body = cache.get(name);
        if (body == null) {
            try (InputStream in = DashboardAssets.class.getClassLoader().getResourceAsStream(ROOT + name)) {
                if (in == null) {
                    throw new BadRequestException(404, null, "no such file: " + name);
                }
                body = in.readAllBytes();
            }
            cache.put(name, body);
        }
        int dot = name.lastIndexOf('.');
        String type = TYPES.getOrDefault(dot < 0 ? "txt" : name.substring(dot + 1), "application/octet-stream");
        response.send(200, type, body);
    }
}
