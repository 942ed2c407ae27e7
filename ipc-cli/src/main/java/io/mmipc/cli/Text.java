package io.mmipc.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/** Plain-text rendering of the command's fields: indented {@code key: value} lines, and one-line summaries. */
final class Text {
    private Text() {
    }

    /**
     * Prints nested fields as indented lines.
     *
     * @param fields the fields
     * @param indent the indentation of the first level
     * @param out    where to print
     */
    static void print(Map<String, ?> fields, String indent, PrintWriter out) {
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            Object v = e.getValue();
            if (v instanceof Map<?, ?> m) {
                if (m.isEmpty()) {
                    out.println(indent + e.getKey() + ": -");
                } else if (isFlat(m)) {
                    out.println(indent + e.getKey() + ": " + inline(m));
                } else {
                    out.println(indent + e.getKey() + ":");
                    print(cast(m), indent + "  ", out);
                }
            } else if (v instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Map) {
                out.println(indent + e.getKey() + ": (" + list.size() + ")");
                for (Object item : list) {
                    out.println(indent + "  - " + inline((Map<?, ?>) item));
                }
            } else if (v instanceof List<?> list && list.isEmpty()) {
                out.println(indent + e.getKey() + ": none");
            } else {
                out.println(indent + e.getKey() + ": " + value(v));
            }
        }
    }

    /**
     * @param fields flat or nested fields
     * @return them on one line: {@code key=value key=value}; nested maps in braces
     */
    static String inline(Map<?, ?> fields) {
        StringJoiner j = new StringJoiner(" ");
        for (Map.Entry<?, ?> e : fields.entrySet()) {
            Object v = e.getValue();
            j.add(e.getKey() + "=" + (v instanceof Map<?, ?> m ? "{" + inline(m) + "}" : value(v)));
        }
        return j.toString();
    }

    private static boolean isFlat(Map<?, ?> m) {
        return m.size() <= 4 && m.values().stream().noneMatch(v -> v instanceof Map || v instanceof List);
    }

    private static String value(Object v) {
        return v == null ? "-" : v.toString();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> cast(Map<?, ?> m) {
        return (Map<String, ?>) m;
    }
}
