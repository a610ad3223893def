package io.zdl.spark.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.error.ZdlException;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the layer picture of project-docs/architecture.md true: a main package uses only packages on
 * its own floor or below, packages on one floor form no cycle, and the log store stands apart.
 *
 * <p>Uses are read twice and joined: from the compiled classes (every class a class file names, also
 * ones the source never spells out, such as a method's return type in a call chain) and from the code
 * (comments left out) of both Spark lines' sources, so the seam of the line this module does not compile
 * is checked too, and a class named only in a string (looked up by name) counts as used.
 */
class PackageLayersTest {
  private static final String LOG_STORE = "io.zdl.logstore";

  /** Lowest floor first; the same picture as project-docs/architecture.md. */
  private static final Map<String, Integer> FLOORS = new LinkedHashMap<>();

  static {
    floor(1, "io.zdl.spark.api", "io.zdl.spark.error", "io.zdl.spark.fault", "io.zdl.spark.line");
    floor(2, "io.zdl.spark.kafka.offset");
    floor(3, "io.zdl.spark.kafka.plan");
    floor(4, "io.zdl.spark.loss");
    floor(5, "io.zdl.spark.kafka.security", "io.zdl.spark.kafka.metadata", "io.zdl.spark.kafka.read",
        "io.zdl.spark.kafka.consumer", "io.zdl.spark.kafka.config", "io.zdl.spark.kafka.group");
    floor(6, "io.zdl.spark.kafka");
    floor(7, "io.zdl.spark.delta");
    floor(8, "io.zdl.spark.audit");
  }

  private static void floor(int floor, String... packages) {
    for (String p : packages) {
      FLOORS.put(p, floor);
    }
  }

  /** Package to the packages it uses, with one class that shows each use. */
  private static Map<String, Map<String, String>> uses;

  @BeforeAll
  static void readUses() throws IOException, URISyntaxException {
    uses = new TreeMap<>();
    Path classes = classesRoot();
    int classFiles = 0;
    try (Stream<Path> files = Files.walk(classes.resolve("io/zdl"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).collect(Collectors.toList())) {
        String name = classes.relativize(f).toString().replace('\\', '/');
        String from = packageOf(name.substring(0, name.length() - ".class".length()));
        for (String used : classNamesIn(f)) {
          record(from, packageOf(used), name);
        }
        classFiles++;
      }
    }
    Path sources = Paths.get("..", "connector", "src");
    int sourceFiles = 0;
    try (Stream<Path> files = Files.walk(sources)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).collect(Collectors.toList())) {
        String rel = sources.relativize(f).toString().replace('\\', '/');
        if (rel.startsWith("test/")) {
          continue;
        }
        String name = rel.substring(rel.indexOf("/java/") + "/java/".length());
        String from = packageOf(name);
        Matcher m = SOURCE_NAME.matcher(withoutComments(new String(Files.readAllBytes(f), StandardCharsets.UTF_8)));
        while (m.find()) {
          String used = m.group().replace('.', '/');
          record(from, longestKnownPackage(used), rel);
        }
        sourceFiles++;
      }
    }
    assertTrue(classFiles > 50 && sourceFiles > 50,
        "found too few classes (" + classFiles + ") or sources (" + sourceFiles + ") to check the layers");
  }

  @Test
  void everyMainPackageHasItsPlaceInThePicture() {
    Set<String> unplaced = new TreeSet<>(uses.keySet());
    unplaced.removeAll(FLOORS.keySet());
    unplaced.remove(LOG_STORE);
    assertTrue(unplaced.isEmpty(), "packages missing from the layers (add them here and to "
        + "project-docs/architecture.md): " + unplaced);
  }

  @Test
  void noPackageUsesOneOnAHigherFloor() {
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, Map<String, String>> p : uses.entrySet()) {
      Integer floor = FLOORS.get(p.getKey());
      for (Map.Entry<String, String> used : p.getValue().entrySet()) {
        Integer usedFloor = FLOORS.get(used.getKey());
        if (floor != null && usedFloor != null && usedFloor > floor) {
          wrong.add(p.getKey() + " (floor " + floor + ") uses " + used.getKey() + " (floor " + usedFloor
              + "), e.g. in " + used.getValue());
        }
      }
    }
    assertEquals("", String.join("\n", wrong), "packages that use one above them");
  }

  @Test
  void packagesFormNoCycle() {
    List<String> cycles = new ArrayList<>();
    for (String a : uses.keySet()) {
      for (String b : uses.get(a).keySet()) {
        if (a.compareTo(b) < 0 && reaches(b, a)) {
          cycles.add(a + " -> " + b + " (in " + uses.get(a).get(b) + ") and back: " + path(b, a));
        }
      }
    }
    assertEquals("", String.join("\n", cycles), "package cycles");
  }

  @Test
  void logStoreUsesOnlyErrorsAndNothingUsesIt() {
    Set<String> used = new TreeSet<>(uses.getOrDefault(LOG_STORE, new TreeMap<>()).keySet());
    used.remove("io.zdl.spark.error");
    used.remove("io.zdl.spark.api");
    assertTrue(used.isEmpty(), LOG_STORE + " must stand apart, but uses " + used);
    for (Map.Entry<String, Map<String, String>> p : uses.entrySet()) {
      assertFalse(p.getKey().startsWith("io.zdl.spark") && p.getValue().containsKey(LOG_STORE),
          p.getKey() + " uses " + LOG_STORE + " in " + p.getValue().get(LOG_STORE));
    }
  }

  private static boolean reaches(String from, String to) {
    return !path(from, to).isEmpty();
  }

  /** A shortest chain of uses from one package to another, or "" when there is none. */
  private static String path(String from, String to) {
    Map<String, String> previous = new HashMap<>();
    List<String> queue = new ArrayList<>();
    queue.add(from);
    previous.put(from, null);
    for (int i = 0; i < queue.size(); i++) {
      String p = queue.get(i);
      if (p.equals(to)) {
        List<String> chain = new ArrayList<>();
        for (String s = to; s != null; s = previous.get(s)) {
          chain.add(0, s);
        }
        return String.join(" -> ", chain);
      }
      for (String next : uses.getOrDefault(p, new TreeMap<>()).keySet()) {
        if (!previous.containsKey(next)) {
          previous.put(next, p);
          queue.add(next);
        }
      }
    }
    return "";
  }

  private static final Pattern SOURCE_NAME = Pattern.compile("\\bio\\.zdl(\\.[A-Za-z_][A-Za-z0-9_]*)+");
  private static final Pattern CLASS_NAME = Pattern.compile("\\bio/zdl/[A-Za-z0-9_$/]+");

  private static void record(String fromPackage, String usedPackage, String where) {
    String from = fromPackage.replace('/', '.');
    String used = usedPackage.replace('/', '.');
    if (used.isEmpty() || used.equals(from) || !used.startsWith("io.zdl.") || used.startsWith("io.zdl.shaded")) {
      return;
    }
    uses.computeIfAbsent(from, k -> new TreeMap<>()).putIfAbsent(used, where);
  }

  private static String packageOf(String internalName) {
    int slash = internalName.lastIndexOf('/');
    return slash < 0 ? "" : internalName.substring(0, slash);
  }

  /** The package part of a dotted name from a source: {@code a.b.C.D}, {@code a.b.*} or {@code a.b}. */
  private static String longestKnownPackage(String slashed) {
    String[] parts = slashed.split("/");
    StringBuilder pkg = new StringBuilder();
    for (String part : parts) {
      if (part.isEmpty() || !Character.isLowerCase(part.charAt(0))) {
        break;
      }
      pkg.append(pkg.length() == 0 ? "" : "/").append(part);
    }
    return pkg.toString();
  }

  /** Java source without its comments (a comment may name any class); string literals are kept. */
  static String withoutComments(String source) {
    StringBuilder code = new StringBuilder(source.length());
    int i = 0;
    while (i < source.length()) {
      char c = source.charAt(i);
      if (c == '/' && source.startsWith("/*", i)) {
        int end = source.indexOf("*/", i + 2);
        i = end < 0 ? source.length() : end + 2;
        code.append(' ');
      } else if (c == '/' && source.startsWith("//", i)) {
        int end = source.indexOf('\n', i);
        i = end < 0 ? source.length() : end;
      } else if (c == '"' || c == '\'') {
        int end = i + 1;
        while (end < source.length() && source.charAt(end) != c) {
          end += source.charAt(end) == '\\' ? 2 : 1;
        }
        end = Math.min(end + 1, source.length());
        code.append(source, i, end);
        i = end;
      } else {
        code.append(c);
        i++;
      }
    }
    return code.toString();
  }

  /** The folder the connector's main classes were compiled to (PublicApiTest reads it too). */
  static Path classesRoot() throws URISyntaxException {
    URL url = ZdlException.class.getResource("ZdlException.class");
    Path file = Paths.get(url.toURI());
    // io/zdl/spark/error/ZdlException.class: four folders below the root
    return file.getParent().getParent().getParent().getParent().getParent();
  }

  /** Every class name the constant pool of a class file mentions (class entries, descriptors, signatures). */
  private static Set<String> classNamesIn(Path classFile) throws IOException {
    Set<String> names = new TreeSet<>();
    try (InputStream in = Files.newInputStream(classFile);
         DataInputStream data = new DataInputStream(in)) {
      data.readInt(); // magic
      data.readUnsignedShort();
      data.readUnsignedShort();
      int count = data.readUnsignedShort();
      String[] utf8 = new String[count];
      Set<Integer> literals = new TreeSet<>();
      for (int i = 1; i < count; i++) {
        int tag = data.readUnsignedByte();
        switch (tag) {
          case 1: utf8[i] = data.readUTF(); break;
          case 3: case 4: data.readInt(); break;
          case 5: case 6: data.readLong(); i++; break;
          case 7: case 16: case 19: case 20: data.readUnsignedShort(); break;
          case 8: literals.add(data.readUnsignedShort()); break;
          case 9: case 10: case 11: case 12: case 17: case 18: data.readInt(); break;
          case 15: data.readUnsignedByte(); data.readUnsignedShort(); break;
          default: throw new IOException("unknown constant pool tag " + tag + " in " + classFile);
        }
      }
      for (int i = 1; i < count; i++) {
        if (utf8[i] != null && !literals.contains(i)) { // a string literal is text, not a use
          Matcher m = CLASS_NAME.matcher(utf8[i]);
          while (m.find()) {
            names.add(m.group());
          }
        }
      }
    }
    return names;
  }
}
