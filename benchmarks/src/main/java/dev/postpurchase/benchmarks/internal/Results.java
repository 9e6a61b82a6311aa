package dev.postpurchase.benchmarks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the figures of one workload run (one JVM) and writes them as {@code <workload>.json}: every repetition's
 * value plus median, min and max, the settings used, notes, and the machine load before and after. Not thread-safe.
 */
public final class Results {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String workload;
    private final Map<String, List<Double>> values = new LinkedHashMap<>();
    private final Map<String, String> units = new LinkedHashMap<>();
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final List<String> notes = new ArrayList<>();
    private final String loadBefore;
    private final long startedAt = System.currentTimeMillis();

    public Results(String workload) {
        this.workload = workload;
        this.loadBefore = Machine.loadAverage();
    }

    /** Adds one repetition's value of {@code name}. */
    public void add(String name, String unit, double value) {
        values.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        units.put(name, unit);
        System.out.printf("  %-55s %12.2f %s%n", name, value, unit);
    }

    public void setting(String name, Object value) {
        settings.put(name, String.valueOf(value));
    }

    public void note(String text) {
        notes.add(text);
        System.out.println("  note: " + text);
    }

    public List<Measurement> measurements() {
        List<Measurement> result = new ArrayList<>();
        values.forEach((name, v) -> result.add(new Measurement(name, units.get(name), v)));
        return result;
    }

    /** Writes {@code <dir>/<workload>.json} and prints the medians. */
    public Path write(Path dir) {
        ObjectNode root = JSON.createObjectNode();
        root.put("workload", workload);
        root.put("startedAt", java.time.Instant.ofEpochMilli(startedAt).toString());
        root.put("seconds", (System.currentTimeMillis() - startedAt) / 1000.0);
        root.put("loadBefore", loadBefore);
        root.put("loadAfter", Machine.loadAverage());
        ObjectNode s = root.putObject("settings");
        settings.forEach(s::put);
        ArrayNode n = root.putArray("notes");
        notes.forEach(n::add);
        ArrayNode metrics = root.putArray("metrics");
        System.out.println("== " + workload + ": median [min .. max]");
        for (Measurement m : measurements()) {
            ObjectNode node = metrics.addObject();
            node.put("name", m.name());
            node.put("unit", m.unit());
            node.put("median", m.median());
            node.put("min", m.min());
            node.put("max", m.max());
            ArrayNode all = node.putArray("values");
            m.values().forEach(all::add);
            System.out.printf("  %-55s %12.2f [%.2f .. %.2f] %s%n", m.name(), m.median(), m.min(), m.max(), m.unit());
        }
        try {
            Files.createDirectories(dir);
            Path file = dir.resolve(workload + ".json");
            JSON.writeValue(file.toFile(), root);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads every {@code *.json} result file of {@code dir} except JMH's, keyed by workload. */
    public static Map<String, JsonNode> readAll(Path dir) {
        Map<String, JsonNode> result = new LinkedHashMap<>();
        try (var files = Files.list(dir)) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".json") && !name.startsWith("jmh")) {
                    JsonNode node = JSON.readTree(file.toFile());
                    if (node.has("workload")) {
                        result.put(node.get("workload").asText(), node);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }

    public static ObjectMapper json() {
        return JSON;
    }
}
