package io.zdl.spark.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The public API is one list, written three times: the classes marked {@code @PublicApi}, the javadoc plugin's
 * sourceFileIncludes in the parent pom (the published Javadoc), and the "Public API" list of
 * project-docs/architecture.md. This test fails when the three differ, or when a marked class is not public.
 */
class PublicApiTest {
  /** How a marked class file names the annotation (class retention: in RuntimeInvisibleAnnotations). */
  private static final byte[] MARK = "Lio/zdl/spark/api/PublicApi;".getBytes(StandardCharsets.UTF_8);
  private static final Pattern POM_INCLUDE = Pattern.compile("<sourceFileInclude>([^<]+)\\.java</sourceFileInclude>");
  private static final Pattern DOC_ENTRY = Pattern.compile("^- `(io\\.zdl\\.[A-Za-z0-9_.]+)`", Pattern.MULTILINE);

  @Test
  void theMarkedClassesThePublishedJavadocAndTheArchitectureDocNameTheSameClasses() throws Exception {
    Set<String> marked = markedClasses();
    assertTrue(marked.contains("io.zdl.spark.audit.ZdlAudit") && marked.size() >= 10,
        () -> "the scan found too few marked classes, so it does not see the marks: " + marked);
    assertEquals(marked, javadocIncludes(), "the parent pom's javadoc sourceFileIncludes differ from the @PublicApi marks");
    assertEquals(marked, documented(), "project-docs/architecture.md's Public API list differs from the @PublicApi marks");
  }

  @Test
  void everyMarkedClassIsPublic() throws Exception {
    for (String name : markedClasses()) {
      // not initialized: the log store's superclass is Delta's, the audit's reach Spark
      Class<?> c = Class.forName(name, false, getClass().getClassLoader());
      assertTrue(Modifier.isPublic(c.getModifiers()), name + " is marked @PublicApi but is not public");
      assertFalse(c.isMemberClass(), name + ": mark top-level classes only");
    }
  }

  private static Set<String> markedClasses() throws IOException, URISyntaxException {
    Path root = PackageLayersTest.classesRoot();
    Set<String> marked = new TreeSet<>();
    try (Stream<Path> files = Files.walk(root.resolve("io/zdl"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class") && !p.getFileName().toString().contains("$"))
          .collect(Collectors.toList())) {
        if (contains(Files.readAllBytes(f), MARK)) {
          String name = root.relativize(f).toString().replace('\\', '/');
          marked.add(name.substring(0, name.length() - ".class".length()).replace('/', '.'));
        }
      }
    }
    return marked;
  }

  private static Set<String> javadocIncludes() throws IOException {
    return matches(POM_INCLUDE, read(Paths.get("..", "pom.xml")), true);
  }

  private static Set<String> documented() throws IOException {
    String doc = read(Paths.get("..", "project-docs", "architecture.md"));
    int start = doc.indexOf("## Public API");
    assertTrue(start >= 0, "architecture.md has no \"## Public API\" section");
    int end = doc.indexOf("\n## ", start + 1);
    return matches(DOC_ENTRY, end < 0 ? doc.substring(start) : doc.substring(start, end), false);
  }

  private static Set<String> matches(Pattern pattern, String text, boolean path) {
    Set<String> out = new TreeSet<>();
    Matcher m = pattern.matcher(text);
    while (m.find()) {
      out.add(path ? m.group(1).replace('/', '.') : m.group(1));
    }
    return out;
  }

  private static String read(Path file) throws IOException {
    assertTrue(Files.exists(file), "run from a connector module's folder: no " + file.toAbsolutePath());
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    return String.join("\n", lines);
  }

  private static boolean contains(byte[] data, byte[] part) {
    outer:
    for (int i = 0; i + part.length <= data.length; i++) {
      for (int j = 0; j < part.length; j++) {
        if (data[i + j] != part[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }
}
