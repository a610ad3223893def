package io.zdl.spark.delta;

import io.zdl.spark.error.ZdlErrors;
import java.util.Locale;

/** The sink option {@code deltaAccess}: how zdl-delta talks to Delta. */
public enum DeltaAccess {
  /** The internal path where this runtime's Delta offers it and the table is not marked public; else public. */
  AUTO,
  /** Delta's transaction API (open-source Delta): one {@code txn} entry per topic-partition. */
  INTERNAL,
  /** Delta's public writer and history only: positions in each commit's {@code userMetadata}. */
  PUBLIC;

  static DeltaAccess parse(String option, String value) {
    if (value == null) {
      return AUTO;
    }
    for (DeltaAccess a : values()) {
      if (a.name().equals(value.trim().toUpperCase(Locale.ROOT))) {
        return a;
      }
    }
    throw ZdlErrors.invalidOption(option, value, "auto, internal or public");
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
