package io.zdl.logstore;

import java.io.IOException;

/** S3 answered a request with an HTTP error; the status (412, 409, 403...) is what the log store acts on. */
final class S3ErrorResponse extends IOException {
  private static final long serialVersionUID = 1L;

  private final int statusCode;
  private final String errorCode;

  S3ErrorResponse(String request, S3Location loc, int statusCode, String errorCode, String message, Throwable cause) {
    super(request + " of " + loc + " failed: HTTP " + statusCode + " " + errorCode + ": " + message, cause);
    this.statusCode = statusCode;
    this.errorCode = errorCode;
  }

  int statusCode() {
    return statusCode;
  }

  String errorCode() {
    return errorCode;
  }
}
