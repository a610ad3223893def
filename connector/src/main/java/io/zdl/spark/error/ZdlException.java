package io.zdl.spark.error;

import io.zdl.spark.api.PublicApi;

/**
 * Every error zdl raises on purpose. The message starts with a stable code in brackets
 * ({@code [ZDL_INVALID_OPTION] ...}) so runbooks and alerts can match on it; the codes are listed
 * in project-docs/error-codes.md.
 */
@PublicApi
public class ZdlException extends RuntimeException {
  private final String code;

  public ZdlException(String code, String message) {
    this(code, message, null);
  }

  public ZdlException(String code, String message, Throwable cause) {
    super("[" + code + "] " + message, cause);
    this.code = code;
  }

  /** The stable error code, for example {@code ZDL_DATA_LOSS.OFFSETS_OUT_OF_RANGE}. */
  public String code() {
    return code;
  }
}
