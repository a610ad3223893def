package io.zdl.it.chaos;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * The campaign's records: every field is a pure function of the record's id (and the campaign's
 * seed), so the reconcile can check each row's content, not only that its id is there. Some keys
 * are null, some headers have null values, and sizes run from a few bytes to about 1 MB.
 */
final class ChaosRecords {
  static final String PREFIX = "zdl-chaos:";
  /** Kafka's default message.max.bytes is 1,048,588: the largest values stay below it with room for the rest. */
  static final int LARGEST_VALUE = 1_000_000;
  private static final HexFormat HEX = HexFormat.of();

  private final long seed;
  /** One record in {@code largeEvery} (by a hash of its id) is ~1 MB; 0: none. */
  private final int largeEvery;

  ChaosRecords(long seed, int largeEvery) {
    this.seed = seed;
    this.largeEvery = largeEvery;
  }

  static byte[] key(long id) {
    return id % 5 == 2 ? null : ("k" + id).getBytes(StandardCharsets.UTF_8);
  }

  /** Starts with {@code zdl-chaos:<id>:}, padded to the id's size with a compressible pattern. */
  byte[] value(long id) {
    byte[] head = (PREFIX + id + ":").getBytes(StandardCharsets.US_ASCII);
    byte[] v = new byte[Math.max(head.length, size(id))];
    System.arraycopy(head, 0, v, 0, head.length);
    for (int i = head.length; i < v.length; i++) {
      v[i] = (byte) ('a' + (id + i) % 26);
    }
    return v;
  }

  static List<Header> headers(long id) {
    List<Header> h = new ArrayList<>();
    switch ((int) (id % 4)) {
      case 1 -> h.add(new RecordHeader("id", Long.toString(id).getBytes(StandardCharsets.UTF_8)));
      case 2 -> {
        h.add(new RecordHeader("id", Long.toString(id).getBytes(StandardCharsets.UTF_8)));
        h.add(new RecordHeader("nothing", null));
      }
      case 3 -> {
        h.add(new RecordHeader("empty", new byte[0]));
        h.add(new RecordHeader("id", Long.toString(id).getBytes(StandardCharsets.UTF_8)));
      }
      default -> { } // no headers
    }
    return h;
  }

  /** What the table must hold for {@code id}: key, value length and SHA-256, headers. */
  String fingerprint(long id) {
    byte[] v = value(id);
    return fingerprint(key(id), v.length, HEX.formatHex(sha256(v)), canonicalHeaders(headers(id)));
  }

  static String fingerprint(byte[] key, int valueLength, String valueSha256, String headers) {
    return (key == null ? "null" : HEX.formatHex(key)) + "|" + valueLength + "|" + valueSha256 + "|" + headers;
  }

  static String canonicalHeaders(List<Header> headers) {
    StringBuilder sb = new StringBuilder();
    for (Header h : headers) {
      sb.append(h.key()).append('=').append(h.value() == null ? "null" : HEX.formatHex(h.value())).append(';');
    }
    return sb.toString();
  }

  private int size(long id) {
    long h = mix(seed ^ (id * 0x9E3779B97F4A7C15L));
    long r = Math.floorMod(h, 1000);
    if (largeEvery > 0 && Math.floorMod(h >>> 20, largeEvery) == 0) {
      return LARGEST_VALUE - (int) Math.floorMod(h >>> 40, 100_000); // 900 KB to 1 MB
    }
    return r < 100 ? 1_000 + (int) (r * 300) : 16 + (int) (r % 300); // mostly tiny, some up to 31 KB
  }

  /** A 64-bit finalizer (from SplitMix64), so sizes do not follow the id's low bits. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static byte[] sha256(byte[] b) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(b);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
