package io.meshgw.e2e;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin API's answers as the scenarios read them: arrays of flat objects (no object inside an
 * object, as the BGP peers and routes are; a list may hold flat objects and reads as its raw text). Each object becomes field -> value text: strings
 * without their quotes, numbers, {@code null}, lists as their raw {@code [...]} text. The
 * scenarios' classpath has no JSON library on purpose (it is the gateway's, not theirs).
 */
final class FlatJson {

    private static final String STRING = "\"(?:[^\"\\\\]|\\\\.)*\"";
    /** A list value: flat objects may sit inside it (a peer's dropped attributes); its text is the field's value. */
    private static final String LIST = "\\[(?:[^\\[\\]\"]|" + STRING + ")*\\]";

    private static final Pattern OBJECT = Pattern.compile("\\{(?:[^{}\"\\[]|" + STRING + "|" + LIST + ")*\\}");
    private static final Pattern FIELD = Pattern.compile("\"(\\w+)\"\\s*:\\s*(" + STRING + "|\\[[^\\]]*\\]|[^,}\\s]+)");

    private FlatJson() {}

    static List<Map<String, String>> objects(String json) {
        if (!json.strip().startsWith("[")) {
            throw new IllegalArgumentException("expected a JSON array, got: " + json);
        }
        return OBJECT.matcher(json).results().map(r -> fields(r.group())).toList();
    }

    private static Map<String, String> fields(String object) {
        Map<String, String> out = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(object);
        while (m.find()) {
            String v = m.group(2);
            out.put(
                    m.group(1),
                    v.startsWith("\"") ? v.substring(1, v.length() - 1).replace("\\\"", "\"") : v);
        }
        return out;
    }
}
