package io.zdl.it.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.zdl.spark.kafka.ZdlKafkaSourceProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What Maven Central requires of the connector's artifacts: a pom (the shade plugin's dependency-reduced pom,
 * plus the parent it inherits from) with name, description, url, licenses, scm and developers, and
 * -sources and -javadoc jars beside the main jar.
 */
class PublishedArtifactsTest {
  private static final Path CONNECTOR_JAR = connectorJar();
  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize(); // surefire runs in src-test/

  @Test
  void sourcesAndJavadocJarsLieBesideTheShadedJar() throws Exception {
    String base = CONNECTOR_JAR.getFileName().toString().replaceAll("\\.jar$", "");
    Path sources = CONNECTOR_JAR.resolveSibling(base + "-sources.jar");
    Path javadoc = CONNECTOR_JAR.resolveSibling(base + "-javadoc.jar");
    try (JarFile jar = new JarFile(sources.toFile())) {
      assertNotNull(jar.getEntry("io/zdl/spark/kafka/ZdlKafkaSourceProvider.java"), sources + " holds zdl's sources");
      assertTrue(jar.stream().noneMatch(e -> e.getName().contains("org/apache/kafka")), "no Kafka sources");
    }
    try (JarFile jar = new JarFile(javadoc.toFile())) {
      assertNotNull(jar.getEntry("index.html"), javadoc + " holds the javadoc");
      // the public API only (@PublicApi, architecture.md): the audit's page, not an internal class's
      assertNotNull(jar.getEntry("io/zdl/spark/audit/ZdlAudit.html"), javadoc + " documents the public API");
      assertNull(jar.getEntry("io/zdl/spark/kafka/ZdlKafkaSourceProvider.html"), javadoc + " documents internals");
    }
  }

  @Test
  void thePublishedPomCarriesWhatMavenCentralRequires() throws Exception {
    // the module that built the jar under test: connector/ (_2.12) or, under -Pspark-4.0, connector-spark4/ (_2.13)
    Path reducedPom = CONNECTOR_JAR.getParent().getParent().resolve("dependency-reduced-pom.xml");
    assertTrue(Files.isRegularFile(reducedPom), "the shade plugin writes the pom it publishes: " + reducedPom);
    Element connector = parse(reducedPom);
    Element parent = parse(ROOT.resolve("pom.xml"));
    assertEquals(text(parent, "artifactId"), text(child(connector, "parent"), "artifactId"), "inherits the root pom");

    assertFalse(text(connector, "name").isEmpty());
    assertFalse(text(connector, "description").isEmpty());
    // the rest is inherited: the url and scm must not get the module's artifactId appended
    assertTrue(text(parent, "url").startsWith("https://"));
    assertEquals("false", parent.getAttribute("child.project.url.inherit.append.path"));
    Element scm = child(parent, "scm");
    for (String attr : List.of("connection", "developerConnection", "url")) {
      assertFalse(text(scm, attr).isEmpty(), "scm " + attr);
      assertEquals("false", scm.getAttribute("child.scm." + attr + ".inherit.append.path"), "scm " + attr);
    }
    Element license = child(child(parent, "licenses"), "license");
    assertFalse(text(license, "name").isEmpty());
    assertFalse(text(license, "url").isEmpty());
    assertFalse(text(child(child(parent, "developers"), "developer"), "name").isEmpty());
    assertEquals("", text(connector, "url"), "the connector inherits the project url");

    // the Kafka client is inside the jar, relocated: the published pom must not also pull it in
    NodeList deps = connector.getElementsByTagName("dependency");
    for (int i = 0; i < deps.getLength(); i++) {
      assertFalse(text((Element) deps.item(i), "artifactId").equals("kafka-clients"), "kafka-clients in " + reducedPom);
    }
  }

  private static Path connectorJar() {
    try {
      Path jar = Path.of(ZdlKafkaSourceProvider.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      assertTrue(jar.toString().endsWith(".jar"), "run with `mvn verify` so the connector is its packaged jar: " + jar);
      return jar;
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Element parse(Path pom) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    Document doc = f.newDocumentBuilder().parse(pom.toFile());
    return doc.getDocumentElement();
  }

  /** The direct child element {@code name}; fails if there is none. */
  private static Element child(Element parent, String name) {
    for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element && ((Element) n).getTagName().equals(name)) {
        return (Element) n;
      }
    }
    throw new AssertionError("<" + parent.getTagName() + "> has no <" + name + ">");
  }

  /** The trimmed text of the direct child element {@code name}, or "" when absent. */
  private static String text(Element parent, String name) {
    for (org.w3c.dom.Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element && ((Element) n).getTagName().equals(name)) {
        return n.getTextContent().trim();
      }
    }
    return "";
  }
}
