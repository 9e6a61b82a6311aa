package dev.postpurchase.benchmarks.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws the throughput chart of the report as plain SVG text: one panel per workload with a horizontal bar per
 * system (the median) and a whisker from min to max.
 */
public final class ThroughputChart {
    private record Bar(String label, double median, double min, double max, String colour) {}

    private record Panel(String title, String unit, List<Bar> bars) {}

    private static final String OURS = "#2b6cb0";
    private static final String PEER = "#a0aec0";
    private static final String BASE = "#718096";

    private static final int WIDTH = 900;
    private static final int LABEL = 250;
    private static final int BAR = 26;
    private static final int GAP = 12;

    private ThroughputChart() {}

    /** The chart of the postgres and webhook results present in {@code results}; panels without data are left out. */
    public static String svg(Map<String, JsonNode> results) {
        List<Panel> panels = new ArrayList<>();
        JsonNode pg = results.get("postgres");
        if (pg != null) {
            List<Bar> bars = new ArrayList<>();
            bar(bars, pg, "ours.1node.throughput", "Postpurchase, 1 node (8 workers)", OURS);
            bar(bars, pg, "ours.2node.throughput", "Postpurchase, 2 nodes (2 x 8 workers)", OURS);
            bar(bars, pg, "dbscheduler.throughput", "db-scheduler 15.1.1 (8 threads)", PEER);
            bar(bars, pg, "jobrunr.throughput", "JobRunr 7.3.2 (8 workers)", PEER);
            panels.add(new Panel("PostgreSQL, no-op jobs: throughput", "jobs/s", bars));
        }
        // one JVM per store (webhook-memory, webhook-postgres), each with its own plain baseline; or both in one
        for (String name : List.of("webhook", "webhook-memory", "webhook-postgres")) {
            JsonNode wh = results.get(name);
            if (wh != null) {
                List<Bar> bars = new ArrayList<>();
                bar(bars, wh, "plainOkHttp.throughput", "plain OkHttp + same signing", BASE);
                bar(bars, wh, "guardedClient.throughput", "guarded HTTP client", BASE);
                bar(bars, wh, "pipeline.memory.throughput", "pipeline, in-memory store", OURS);
                bar(bars, wh, "pipeline.postgres.throughput", "pipeline, PostgreSQL store", OURS);
                panels.add(new Panel(
                        "Signed webhooks to a local receiver, 8 concurrent (" + name + ")", "deliveries/s", bars));
            }
        }
        JsonNode mem = results.get("inmemory");
        if (mem != null) {
            List<Bar> bars = new ArrayList<>();
            bar(bars, mem, "throughput", "Postpurchase, in-memory store (8 workers)", OURS);
            panels.add(new Panel("In-memory, no-op actions: throughput", "runs/s", bars));
        }
        int height = 50;
        for (Panel p : panels) {
            height += 50 + p.bars().size() * (BAR + GAP) + 20;
        }
        StringBuilder s = new StringBuilder();
        s.append(String.format(
                Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"Helvetica, Arial, sans-serif\" font-size=\"13\">%n",
                WIDTH,
                height,
                WIDTH,
                height));
        s.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>%n", WIDTH, height));
        s.append("<text x=\"20\" y=\"28\" font-size=\"16\" font-weight=\"bold\">Throughput: median of 3 repetitions,"
                + " whiskers min to max; each panel's systems measured in the same run</text>\n");
        int y = 50;
        for (Panel p : panels) {
            y = panel(s, p, y);
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static void bar(List<Bar> bars, JsonNode node, String metric, String label, String colour) {
        for (JsonNode m : node.path("metrics")) {
            if (m.path("name").asText().equals(metric)) {
                bars.add(new Bar(
                        label,
                        m.path("median").asDouble(),
                        m.path("min").asDouble(),
                        m.path("max").asDouble(),
                        colour));
            }
        }
    }

    private static int panel(StringBuilder s, Panel p, int top) {
        double scale = 0;
        for (Bar b : p.bars()) {
            scale = Math.max(scale, b.max());
        }
        scale = scale <= 0 ? 1 : scale * 1.15;
        int plot = WIDTH - LABEL - 40;
        s.append(String.format(
                Locale.ROOT,
                "<text x=\"20\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">%s (%s)</text>%n",
                top + 20,
                escape(p.title()),
                escape(p.unit())));
        int y = top + 36;
        for (Bar b : p.bars()) {
            double w = b.median() / scale * plot;
            double x1 = LABEL + b.min() / scale * plot;
            double x2 = LABEL + b.max() / scale * plot;
            double mid = y + BAR / 2.0;
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" dominant-baseline=\"middle\">%s</text>%n",
                    LABEL - 10,
                    mid,
                    escape(b.label())));
            s.append(String.format(
                    Locale.ROOT,
                    "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                    LABEL,
                    y,
                    w,
                    BAR,
                    b.colour()));
            s.append(String.format(
                    Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1a202c\" stroke-width=\"1.5\"/>%n",
                    x1,
                    mid,
                    x2,
                    mid));
            for (double x : new double[] {x1, x2}) {
                s.append(String.format(
                        Locale.ROOT,
                        "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1a202c\""
                                + " stroke-width=\"1.5\"/>%n",
                        x,
                        mid - 6,
                        x,
                        mid + 6));
            }
            s.append(String.format(
                    Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%.1f\" dominant-baseline=\"middle\">%s</text>%n",
                    Math.max(x2, LABEL + w) + 8,
                    mid,
                    format(b.median())));
            y += BAR + GAP;
        }
        return y + 20;
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
