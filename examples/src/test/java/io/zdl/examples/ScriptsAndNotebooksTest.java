package io.zdl.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zdl.spark.delta.DeltaSinkOptions;
import io.zdl.spark.kafka.config.KafkaSourceOptions;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The examples nobody compiles otherwise: the PySpark script and the notebooks are valid Python (when python3
 * is installed), the Jupyter notebook is well-formed, and every example names options and versions that exist.
 */
class ScriptsAndNotebooksTest {
  private static final Path EXAMPLES = Path.of("").toAbsolutePath(); // surefire runs in the module folder
  private static final Path DATABRICKS = EXAMPLES.resolve("notebooks/databricks/zdl_json_events_to_delta.py");
  private static final Path JUPYTER = EXAMPLES.resolve("notebooks/emr/zdl_json_events_to_delta.ipynb");
  private static final Path PYSPARK = EXAMPLES.resolve("pyspark/json_events_to_delta.py");
  private static final Pattern OPTION = Pattern.compile("\\.option\\(\\s*[\"']([^\"']+)[\"']");
  /** Maven coordinates (either Scala line), and the version variable of the spark-submit script. */
  private static final Pattern ZDL_COORDINATES =
      Pattern.compile("(?:io\\.zdl:zdl-connector_2\\.1[23]:|ZDL_VERSION=)([^,\"'\\s`)]+)");

  @Test
  void theJupyterNotebookIsWellFormed() throws IOException {
    JsonNode nb = new ObjectMapper().readTree(JUPYTER.toFile());
    assertEquals(4, nb.path("nbformat").asInt(), "nbformat");
    assertEquals("python", nb.path("metadata").path("kernelspec").path("language").asText());
    int code = 0;
    for (JsonNode cell : nb.path("cells")) {
      String type = cell.path("cell_type").asText();
      assertTrue(Set.of("code", "markdown").contains(type), "cell type " + type);
      assertTrue(cell.path("source").isArray() && cell.path("source").size() > 0, "a cell without source: " + cell);
      if (type.equals("code")) {
        code++;
        assertTrue(cell.path("outputs").isArray() && cell.path("outputs").isEmpty(), "committed with outputs");
      }
    }
    assertTrue(code >= 4, "code cells: " + code);
    // sparkmagic's %%configure body is JSON; a typo there fails only when someone runs the notebook
    JsonNode conf = new ObjectMapper().readTree(configureCellBody(nb));
    assertTrue(conf.path("conf").path("spark.jars.packages").asText().contains("io.zdl:zdl-connector_2.12:"), conf::toString);
  }

  @Test
  void theDatabricksNotebookIsInSourceFormat() throws IOException {
    List<String> lines = Files.readAllLines(DATABRICKS, StandardCharsets.UTF_8);
    assertEquals("# Databricks notebook source", lines.get(0));
    assertTrue(lines.stream().filter(l -> l.equals("# COMMAND ----------")).count() >= 5, "cell separators");
  }

  @Test
  void thePySparkScriptAndTheNotebooksAreValidPython() throws Exception {
    Assumptions.assumeTrue(pythonAvailable(),
        () -> notice("python3 is not on the PATH: the PySpark script and the notebooks were NOT syntax-checked"));
    compilePython(PYSPARK.toString(), Files.readString(PYSPARK));
    compilePython(DATABRICKS.toString(), Files.readString(DATABRICKS));
    JsonNode nb = new ObjectMapper().readTree(JUPYTER.toFile());
    int i = 0;
    for (JsonNode cell : nb.path("cells")) {
      String source = source(cell);
      if (cell.path("cell_type").asText().equals("code") && !source.startsWith("%%")) { // %% cells are not Python
        compilePython(JUPYTER + " cell " + i, source);
      }
      i++;
    }
  }

  @Test
  void everyOptionTheExamplesSetIsAZdlOption() throws IOException {
    Set<String> known = new TreeSet<>(KafkaSourceOptions.ALL);
    known.addAll(DeltaSinkOptions.ALL);
    known.add("checkpointLocation"); // Spark's own
    Set<String> unknown = new TreeSet<>();
    int seen = 0;
    for (Path file : exampleFiles()) {
      Matcher m = OPTION.matcher(Files.readString(file));
      while (m.find()) {
        seen++;
        if (!known.contains(m.group(1)) && !m.group(1).startsWith("kafka.")) {
          unknown.add(EXAMPLES.relativize(file) + ": " + m.group(1));
        }
      }
    }
    assertTrue(seen >= 20, "options found: " + seen);
    assertEquals(Set.of(), unknown, "options the connector does not have");
  }

  @Test
  void everyExampleAndDocNamesThisVersionOfTheConnector() throws IOException {
    String version = System.getProperty("zdl.version");
    List<Path> files = new ArrayList<>(exampleFiles());
    files.add(EXAMPLES.resolve("../README.md").normalize());
    try (Stream<Path> docs = Files.list(EXAMPLES.resolve("../project-docs"))) {
      files.addAll(docs.collect(Collectors.toList()));
    }
    Set<String> stale = new TreeSet<>();
    int seen = 0;
    for (Path file : files) {
      Matcher m = ZDL_COORDINATES.matcher(Files.readString(file));
      while (m.find()) {
        seen++;
        if (!m.group(1).equals(version) && !m.group(1).matches("[<$].*")) { // <v>, ${ZDL_VERSION} are placeholders
          stale.add(file.getFileName() + ": " + m.group(1));
        }
      }
    }
    assertTrue(seen >= 5, "coordinates found: " + seen);
    assertEquals(Set.of(), stale, "coordinates that are not " + version);
  }

  private static List<Path> exampleFiles() throws IOException {
    try (Stream<Path> all = Files.walk(EXAMPLES)) {
      List<Path> files = all.filter(Files::isRegularFile)
          .filter(p -> !p.startsWith(EXAMPLES.resolve("target")) && !p.startsWith(EXAMPLES.resolve("src/test")))
          .filter(p -> p.toString().matches(".*\\.(py|ipynb|scala|java|sh|json|md)$"))
          .collect(Collectors.toList());
      assertFalse(files.isEmpty());
      return files;
    }
  }

  private static String source(JsonNode cell) {
    StringBuilder sb = new StringBuilder();
    cell.path("source").forEach(line -> sb.append(line.asText()));
    return sb.toString();
  }

  private static String configureCellBody(JsonNode nb) {
    for (JsonNode cell : nb.path("cells")) {
      String source = source(cell);
      if (source.startsWith("%%configure")) {
        return source.substring(source.indexOf('\n') + 1);
      }
    }
    throw new AssertionError("no %%configure cell");
  }

  private static boolean pythonAvailable() {
    try {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** compile() rather than py_compile: nothing is written next to the sources. */
  private static void compilePython(String name, String source) throws Exception {
    Process p = new ProcessBuilder("python3", "-c", "import sys; compile(sys.stdin.read(), sys.argv[1], 'exec')", name)
        .redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(source.getBytes(StandardCharsets.UTF_8));
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "python3 did not finish compiling " + name);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), () -> name + " is not valid Python:\n" + out);
  }

  private static String notice(String text) {
    System.out.println("NOTICE: " + text);
    return text;
  }
}
