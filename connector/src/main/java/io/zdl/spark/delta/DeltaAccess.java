package io.zdl.spark.delta;

import io.zdl.spark.kafka.config.OptionReader;
import java.util.Locale;

/** The sink option {@code deltaAccess}: how zdl-delta talks to Delta. */
public enum DeltaAccess {
  /** The internal path where this runtime's Delta offers it and the table is not marked public; else public. */
  AUTO,
  /** Delta's transaction API (open-source Delta): one {@code txn} entry per topic-partition. */
  INTERNAL,
  /** Delta's public writer and history only: positions in each commit's {@code userMetadata}. */
  PUBLIC;

  /** The value {@link OptionReader#choice} has checked, as lower case. */
  static DeltaAccess of(String checked) {
    return valueOf(checked.toUpperCase(Locale.ROOT));
  }

  /** The values the option accepts, lower case, as {@link OptionReader#choice} takes them. */
  static String[] names() {
    String[] names = new String[values().length];
    for (int i = 0; i < names.length; i++) {
      names[i] = values()[i].toString();
    }
    return names;
  }

  @Override
  public String toString() {
    return name().toLowerCase(Locale.ROOT);
  }
}
