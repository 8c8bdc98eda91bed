package org.multiprocessing4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bench's results for people: a terminal table, and a self-contained HTML page whose inline SVG
 * shows each row's ratio (log scale, min–max whisker) against its target.
 */
final class Report {
    private final List<Map<String, Object>> rows;
    private final Map<String, Object> env;

    Report(List<Map<String, Object>> rows, Map<String, Object> env) {
        this.rows = rows;
        this.env = env;
    }

    String table() {
        List<String[]> lines = new ArrayList<>();
        lines.add(new String[] {"workload", "CPython", "multiprocessing4j", "ratio (× faster)", "target"});
        for (Map<String, Object> r : rows) {
            lines.add(new String[] {
                    (String) r.get("workload"),
                    figure(r, "cpython_median") + "  " + r.get("cpython_method"),
                    figure(r, "ours_median") + "  " + r.get("ours_label"),
                    ratioText(r),
                    targetText(r)});
        }
        int[] width = new int[5];
        for (String[] l : lines) {
            for (int i = 0; i < 5; i++) {
                width[i] = Math.max(width[i], l[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < lines.size(); k++) {
            String[] l = lines.get(k);
            sb.append("| ");
            for (int i = 0; i < 5; i++) {
                sb.append(i == 1 || i == 2 || i == 3 ? pad(l[i], width[i], true) : pad(l[i], width[i], false));
                sb.append(i < 4 ? " | " : " |");
            }
            sb.append('\n');
            if (k == 0) {
                sb.append('|');
                for (int i = 0; i < 5; i++) {
                    sb.append(i == 1 || i == 2 || i == 3 ? " " + "-".repeat(width[i]) + ":|" : " " + "-".repeat(width[i]) + " |");
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    static String ratioText(Map<String, Object> r) {
        if (r.get("ratio_median") == null) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%s× (%s–%s)", x(r.get("ratio_median")), x(r.get("ratio_min")),
                x(r.get("ratio_max")));
    }

    static String targetText(Map<String, Object> r) {
        Object met = r.get("met");
        String t = (String) r.get("target");
        return met == null ? t : t + (Boolean.TRUE.equals(met) ? " ✓ met" : " ✗ not met");
    }

    private static String figure(Map<String, Object> r, String key) {
        String unit = (String) r.get("unit");
        return format(r.get(key), java.util.Arrays.stream(Row.Unit.values()).filter(u -> u.symbol.equals(unit))
                .findFirst().orElse(Row.Unit.MS));
    }

    /** A figure for people: {@code 41.3 ms}, {@code 35.7k/s}, {@code 4.31M/s}, {@code 1.57×}; {@code —} if none. */
    static String format(Object v, Row.Unit unit) {
        if (!(v instanceof Number n)) {
            return "—";
        }
        double d = n.doubleValue();
        return switch (unit) {
            case MS -> String.format(Locale.ROOT, "%.1f ms", d);
            case TIMES -> String.format(Locale.ROOT, "%.2f×", d);
            case US -> String.format(Locale.ROOT, "%.1f µs", d);
            case GB_PER_S -> String.format(Locale.ROOT, "%.2f GB/s", d);
            case PER_S -> d >= 1e6 ? String.format(Locale.ROOT, "%.2fM/s", d / 1e6)
                    : d >= 1e3 ? String.format(Locale.ROOT, "%.1fk/s", d / 1e3)
                    : String.format(Locale.ROOT, "%.0f/s", d);
        };
    }

    private static String x(Object v) {
        double d = ((Number) v).doubleValue();
        return String.format(Locale.ROOT, d >= 10 ? "%.1f" : "%.2f", d);
    }

    private static String pad(String s, int w, boolean right) {
        int gap = w - s.length();
        return gap <= 0 ? s : right ? " ".repeat(gap) + s : s + " ".repeat(gap);
    }

    String html() {
        int labelW = 520;
        int plotW = 520;
        int valueW = 150;
        int rowH = 34;
        int top = 40;
        int width = labelW + plotW + valueW;
        int height = top + rowH * rows.size() + 30;
        double lo = 1;
        double hi = 1;
        for (Map<String, Object> r : rows) {
            for (String k : List.of("ratio_min", "ratio_max", "target_ratio")) {
                if (r.get(k) instanceof Number n) {
                    lo = Math.min(lo, n.doubleValue());
                    hi = Math.max(hi, n.doubleValue());
                }
            }
        }
        double logLo = Math.floor(Math.log10(lo / 1.2) * 2) / 2;
        double logHi = Math.ceil(Math.log10(hi * 1.2) * 2) / 2;
        if (logHi - logLo < 1) {
            logLo -= 0.5;
            logHi += 0.5;
        }
        final double a = logLo;
        final double b = logHi;
        java.util.function.DoubleUnaryOperator xOf = v -> labelW + (Math.log10(v) - a) / (b - a) * plotW;

        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' font-family='system-ui,sans-serif' font-size='13'>%n",
                width, height));
        for (double e = Math.ceil(a); e <= b + 1e-9; e += 1) {
            for (int m : new int[] {1, 2, 5}) {
                double v = Math.pow(10, e) * m;
                if (Math.log10(v) < a - 1e-9 || Math.log10(v) > b + 1e-9) {
                    continue;
                }
                double x = xOf.applyAsDouble(v);
                svg.append(String.format(Locale.ROOT,
                        "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#ddd'/><text x='%.1f' y='%d' text-anchor='middle' fill='#666'>%s×</text>%n",
                        x, top - 8, x, height - 24, x, height - 8, trim(v)));
            }
        }
        double one = xOf.applyAsDouble(1);
        svg.append(String.format(Locale.ROOT,
                "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#333' stroke-width='1.5'/>"
                        + "<text x='%.1f' y='%d' text-anchor='middle' fill='#333'>as fast as CPython</text>%n",
                one, top - 8, one, height - 24, one, top - 14));
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> r = rows.get(i);
            int y = top + i * rowH;
            String label = r.get("workload") + ": CPython " + r.get("cpython_method") + " vs " + r.get("ours_label");
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d' text-anchor='end'>%s</text>%n",
                    labelW - 10, y + rowH / 2 + 4, esc(label)));
            if (!(r.get("ratio_median") instanceof Number med)) {
                svg.append(String.format(Locale.ROOT, "<text x='%.1f' y='%d' fill='#888'>no ratio (a side is missing)</text>%n",
                        one + 6, y + rowH / 2 + 4));
                continue;
            }
            double xm = xOf.applyAsDouble(med.doubleValue());
            Object target = r.get("target_ratio");
            boolean good = r.get("met") instanceof Boolean met ? met
                    : target instanceof Number t ? med.doubleValue() >= t.doubleValue() : med.doubleValue() >= 1;
            String colour = target == null ? (good ? "#7fb3d5" : "#d5a6bd") : good ? "#2e9d5b" : "#d0453a";
            svg.append(String.format(Locale.ROOT,
                    "<rect x='%.1f' y='%d' width='%.1f' height='%d' fill='%s' rx='2'><title>%s</title></rect>%n",
                    Math.min(one, xm), y + 8, Math.abs(xm - one), rowH - 16, colour, esc(ratioText(r))));
            double x1 = xOf.applyAsDouble(((Number) r.get("ratio_min")).doubleValue());
            double x2 = xOf.applyAsDouble(((Number) r.get("ratio_max")).doubleValue());
            int cy = y + rowH / 2;
            svg.append(String.format(Locale.ROOT,
                    "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#222'/><line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#222'/>"
                            + "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#222'/>%n",
                    x1, cy, x2, cy, x1, cy - 5, x1, cy + 5, x2, cy - 5, x2, cy + 5));
            if (target instanceof Number t) {
                double xt = xOf.applyAsDouble(t.doubleValue());
                svg.append(String.format(Locale.ROOT,
                        "<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#e69f00' stroke-width='3' stroke-dasharray='4 2'>"
                                + "<title>target %s</title></line>%n",
                        xt, y + 3, xt, y + rowH - 3, esc((String) r.get("target"))));
            }
            svg.append(String.format(Locale.ROOT, "<text x='%d' y='%d'>%s×</text>%n", labelW + plotW + 8, cy + 4,
                    x(med)));
        }
        svg.append("</svg>\n");

        StringBuilder table = new StringBuilder("<table><tr><th>workload</th><th>CPython</th><th>multiprocessing4j</th>"
                + "<th>ratio (× faster), median (min–max)</th><th>target</th></tr>\n");
        for (Map<String, Object> r : rows) {
            table.append("<tr><td>").append(esc((String) r.get("workload"))).append("</td><td>")
                    .append(esc(figure(r, "cpython_median") + " " + r.get("cpython_method"))).append("</td><td>")
                    .append(esc(figure(r, "ours_median") + " " + r.get("ours_label"))).append("</td><td>")
                    .append(esc(ratioText(r))).append("</td><td>").append(esc(targetText(r))).append("</td></tr>\n");
        }
        table.append("</table>\n");
        StringBuilder envList = new StringBuilder("<ul class='env'>\n");
        env.forEach((k, v) -> envList.append("<li><b>").append(esc(k)).append("</b>: ").append(esc(String.valueOf(v)))
                .append("</li>\n"));
        envList.append("</ul>\n");

        return "<!DOCTYPE html>\n<html lang='en'><head><meta charset='utf-8'>\n<title>multiprocessing4j vs CPython — "
                + esc(String.valueOf(env.get("date"))) + "</title>\n<style>body{font-family:system-ui,sans-serif;margin:2em;color:#222}"
                + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}"
                + "td:first-child,th:first-child{text-align:left}.env{color:#555;font-size:90%}.key span{display:inline-block;"
                + "width:14px;height:10px;margin:0 4px 0 14px}</style></head><body>\n"
                + "<h1>multiprocessing4j vs CPython multiprocessing</h1>\n"
                + "<p>How many times faster than CPython (times: CPython ÷ ours; throughputs and speed-ups: ours ÷ "
                + "CPython), same work on the same machine, interleaved rounds "
                + "(bar: median of per-round ratios; whisker: min–max; dashed orange: the target). Right of the black line "
                + "we are faster.</p>\n"
                + "<p class='key'><span style='background:#2e9d5b'></span>target met<span style='background:#d0453a'></span>"
                + "target not met<span style='background:#7fb3d5'></span>no target, faster<span style='background:#d5a6bd'>"
                + "</span>no target, slower</p>\n"
                + svg + table + "<h2>Environment</h2>\n" + envList + "</body></html>\n";
    }

    private static String trim(double v) {
        return v >= 1 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%s", v).replaceAll("0+$", "");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;");
    }
}
