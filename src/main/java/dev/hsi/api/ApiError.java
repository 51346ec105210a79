package dev.hsi.api;

/** A request that cannot be served, with the HTTP status and a message the caller can act on. */
final class ApiError extends RuntimeException {

    private final int status;

    ApiError(int status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    static ApiError badRequest(String detail) {
        return new ApiError(400, detail);
    }

    static ApiError notFound(String detail) {
        return new ApiError(404, detail);
    }

    static ApiError conflict(String detail) {
        return new ApiError(409, detail);
    }

    int status() {
        return status;
    }
}
