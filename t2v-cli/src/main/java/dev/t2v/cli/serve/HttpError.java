package dev.t2v.cli.serve;

/** An answer other than success, with the message the client sees and, for bad input, the field it concerns. */
class HttpError extends RuntimeException {
    private final int status;
    private final String field;

    HttpError(int status, String message) {
        this(status, null, message);
    }

    HttpError(int status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    int status() {
        return status;
    }

    /** The request field at fault, or null. */
    String field() {
        return field;
    }

    static HttpError badField(String field, String message) {
        return new HttpError(400, field, message);
    }

    static HttpError notFound() {
        return new HttpError(404, "not found");
    }
}
