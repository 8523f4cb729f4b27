package dev.tickvault.server;

import java.io.IOException;

/** One API route. Runs on a query thread; throws {@link BadRequestException} for anything wrong in the request. */
@FunctionalInterface
public interface Endpoint {

    void handle(ApiRequest request, ApiResponse response) throws IOException;
}
