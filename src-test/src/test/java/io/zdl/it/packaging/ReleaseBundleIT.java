package io.zdl.it.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The Maven Central bundles {@code -Prelease} writes, one per published module (the parent pom,
 * zdl-connector_2.12, zdl-connector_2.13): the repository layout, the pom, the shaded, -sources and -javadoc
 * jars, an .md5 and .sha1 that match each file, .asc signatures exactly when a key was given, and poms that pull
 * nothing the jar bundles and keep Spark and Delta provided. Runs only under {@code -Prelease}, which sets
 * {@code zdl.test.releaseBundles}:
 * {@code mvn -B -Prelease -pl connector,connector-spark4,src-test -am verify -Dtest=ReleaseBundleIT -Dsurefire.failIfNoSpecifiedTests=false}
 */
@EnabledIfSystemProperty(named = "zdl.test.releaseBundles", matches = ".+")
class ReleaseBundleIT {
  private static final String VERSION = System.getProperty("zdl.test.version");

  @Test
  void eachPublishedModuleHasACompleteCentralBundle() throws Exception {
    String key = System.getProperty("zdl.test.gpgKeyname", "");
    boolean signed = !key.isEmpty() && !key.startsWith("${");
    String[] bundles = System.getProperty("zdl.test.releaseBundles").split(",");
    assertEquals(3, bundles.length);
    for (String bundle : bundles) {
      Path zip = Path.of(bundle.trim());
      assertTrue(Files.isRegularFile(zip), "written by -Prelease at verify: " + zip);
      String artifactId = zip.getFileName().toString().replace("-" + VERSION + "-bundle.zip", "");
      boolean jars = artifactId.startsWith("zdl-connector_");
      Map<String, byte[]> files = read(zip);
      String dir = "io/zdl/" + artifactId + "/" + VERSION + "/";
      String base = dir + artifactId + "-" + VERSION;
      List<String> published = jars
          ? List.of(base + ".pom", base + ".jar", base + "-sources.jar", base + "-javadoc.jar")
          : List.of(base + ".pom");
      for (String name : files.keySet()) {
        assertTrue(name.startsWith(dir), zip + ": only " + dir + " in the bundle, not " + name);
      }
      for (String file : published) {
        assertNotNull(files.get(file), zip + " holds " + file);
        assertEquals(hex("MD5", files.get(file)), text(files.get(file + ".md5")), file + ".md5");
        assertEquals(hex("SHA-1", files.get(file)), text(files.get(file + ".sha1")), file + ".sha1");
        assertEquals(signed, files.containsKey(file + ".asc"), file + ".asc when and only when -Dgpg.keyname is given");
      }
      assertEquals(published.size() * (signed ? 6 : 3), files.size(), () -> zip + ": nothing else: " + files.keySet());

      Element pom = parse(files.get(base + ".pom"));
      if (jars) {
        checkConnector(artifactId, pom, files.get(base + ".jar"), files.get(base + "-javadoc.jar"),
            files.get(base + "-sources.jar"));
      } else {
        for (String required : List.of("name", "description", "url", "licenses", "developers", "scm")) {
          assertFalse(childText(pom, required).isEmpty(), "Central requires <" + required + "> in " + base + ".pom");
        }
      }
    }
  }

  private static void checkConnector(String artifactId, Element pom, byte[] jar, byte[] javadoc, byte[] sources)
      throws Exception {
    assertEquals(artifactId, childText(pom, "artifactId"));
    // the dependency-reduced pom: the Kafka client is inside the jar, Spark, Delta and the rest come from the runtime
    NodeList deps = pom.getElementsByTagName("dependency");
    assertTrue(deps.getLength() > 0);
    for (int i = 0; i < deps.getLength(); i++) {
      Element dep = (Element) deps.item(i);
      String coordinates = childText(dep, "groupId") + ":" + childText(dep, "artifactId");
      assertFalse(coordinates.startsWith("org.apache.kafka:"), artifactId + " pom pulls " + coordinates);
      String scope = childText(dep, "scope");
      assertTrue(scope.equals("provided") || scope.equals("test"), artifactId + " pom: " + coordinates + " is " + scope);
    }
    List<String> classes = entries(jar);
    assertTrue(classes.contains("io/zdl/spark/kafka/ZdlKafkaSourceProvider.class"));
    assertTrue(classes.stream().anyMatch(e -> e.startsWith("io/zdl/shaded/org/apache/kafka/clients/")), "relocated client");
    assertTrue(classes.stream().noneMatch(e -> e.startsWith("org/apache/kafka/")), "no unrelocated Kafka class");
    // the public API's pages: the audit, table offsets, the S3 log store, coded errors (internal classes, the
    // formats' providers among them, have none: architecture.md, "Public API")
    List<String> docs = entries(javadoc);
    for (String page : List.of("index.html",
        "io/zdl/spark/audit/ZdlAudit.html", "io/zdl/spark/delta/TableOffsets.html",
        "io/zdl/logstore/S3ConditionalPutLogStore.html", "io/zdl/spark/error/ZdlException.html")) {
      assertTrue(docs.contains(page), artifactId + "-javadoc.jar: " + page);
    }
    List<String> src = entries(sources);
    assertTrue(src.contains("io/zdl/spark/kafka/ZdlKafkaSourceProvider.java"));
    assertTrue(src.stream().noneMatch(e -> e.contains("org/apache/kafka/")), "no Kafka sources");
  }

  private static Map<String, byte[]> read(Path zip) throws Exception {
    Map<String, byte[]> files = new TreeMap<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      for (ZipEntry e : java.util.Collections.list(z.entries())) {
        if (!e.isDirectory()) {
          try (InputStream in = z.getInputStream(e)) {
            files.put(e.getName(), in.readAllBytes());
          }
        }
      }
    }
    return files;
  }

  private static List<String> entries(byte[] jar) throws Exception {
    List<String> names = new java.util.ArrayList<>();
    try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
      for (var e = in.getNextJarEntry(); e != null; e = in.getNextJarEntry()) {
        names.add(e.getName());
      }
    }
    return names;
  }

  private static String hex(String algorithm, byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
  }

  private static String text(byte[] data) {
    assertNotNull(data, "checksum file present");
    return new String(data, StandardCharsets.US_ASCII).trim().split("\\s+")[0];
  }

  private static Element parse(byte[] pom) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(pom)).getDocumentElement();
  }

  /** The trimmed text of the direct child element {@code name}, or "" when absent. */
  private static String childText(Element parent, String name) {
    for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element && ((Element) n).getTagName().equals(name)) {
        return n.getTextContent().trim();
      }
    }
    return "";
  }
}
