package io.memaudit.worker;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.json.schema.OutputUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns the Basic output of a Vert.x schema validation into messages a trainer's author can act on:
 * {@code "/step: -3 is less than the minimum 0"}, {@code "/runId: missing required property"}.
 *
 * <p>Basic output lists every failing keyword, wrappers included ({@code properties}, {@code $ref},
 * {@code items}, {@code allOf}, {@code if}), and Vert.x also reports {@code additionalProperties} for
 * declared properties whose value failed. Only the innermost errors are kept, and an
 * {@code additionalProperties} error only for a property the schema does not declare; one message per field.
 */
final class SchemaErrors {
    private static final int MAX_MESSAGES = 8;
    private static final int MAX_VALUE_CHARS = 60;
    /** Timestamps share one definition (format date-time and a pattern that requires a time zone). */
    private static final String TIMESTAMP = "/$defs/timestamp/";
    private static final Pattern QUOTED = Pattern.compile("\"([^\"]*)\"");

    private SchemaErrors() { }

    static String describe(OutputUnit unit, JsonObject schema, Object instance) {
        List<OutputUnit> errors = unit.getErrors() == null ? List.of() : unit.getErrors();
        Map<String, String> byField = new LinkedHashMap<>();
        for (OutputUnit error : errors) {
            if (isInnermost(error, errors) && !isSpuriousAdditional(error, schema)) {
                String message = new Context(error, schema, instance).message();
                byField.putIfAbsent(message.substring(0, message.indexOf(": ")), message);
            }
        }
        if (byField.isEmpty()) {
            byField.put("", display(pointer(unit.getInstanceLocation())) + ": " + unit.getError());
        }
        Collection<String> messages = byField.values();
        List<String> shown = messages.stream().limit(MAX_MESSAGES).collect(Collectors.toList());
        String more = messages.size() > MAX_MESSAGES ? "; and " + (messages.size() - MAX_MESSAGES) + " more" : "";
        return String.join("; ", shown) + more;
    }

    private static boolean isInnermost(OutputUnit error, List<OutputUnit> all) {
        String location = error.getKeywordLocation();
        if (location == null || location.endsWith("/if")) {
            return false;
        }
        for (OutputUnit other : all) {
            String o = other.getKeywordLocation();
            if (o != null && o.startsWith(location + "/")) {
                return false;
            }
        }
        return true;
    }

    private static boolean isSpuriousAdditional(OutputUnit error, JsonObject schema) {
        String keyword = error.getAbsoluteKeywordLocation();
        if (keyword == null || !keyword.endsWith("/additionalProperties")) {
            return false;
        }
        Object parent = resolve(schema, fragment(keyword).replaceAll("/additionalProperties$", ""));
        String property = lastSegment(error.getInstanceLocation());
        return parent instanceof JsonObject p && p.getJsonObject("properties") != null
                && p.getJsonObject("properties").containsKey(property);
    }

    /** One error with what it needs to explain itself: the keyword's value and the instance's value. */
    private record Context(OutputUnit error, JsonObject schema, Object instance) {
        String message() {
            String keywordPointer = fragment(error.getAbsoluteKeywordLocation());
            String keyword = lastSegment(keywordPointer);
            Object rule = resolve(schema, keywordPointer);
            Object value = resolve(instance, pointer(error.getInstanceLocation()));
            String where = display(pointer(error.getInstanceLocation()));
            if (keywordPointer.startsWith(TIMESTAMP)) {
                return where + ": " + describeValue(value) + " is not an RFC 3339 date-time with a time zone, e.g. 2026-01-31T12:00:00Z";
            }
            return switch (keyword) {
                case "required" -> requiredMessage(where, keywordPointer);
                case "additionalProperties" -> where + ": unknown property (allowed: " + declared(keywordPointer) + ")";
                case "type" -> where + ": expected " + typeNames(rule) + ", got " + describeValue(value);
                case "minimum" -> where + ": " + value + " is less than the minimum " + rule;
                case "maximum" -> where + ": " + value + " is greater than the maximum " + rule;
                case "exclusiveMinimum" -> where + ": " + value + " must be greater than " + rule;
                case "exclusiveMaximum" -> where + ": " + value + " must be less than " + rule;
                case "minItems", "maxItems" -> where + ": has " + size(value) + " items, expected " + countRule(keywordPointer, "Items");
                case "minLength", "maxLength" -> where + ": has " + size(value) + " characters, expected "
                        + countRule(keywordPointer, "Length");
                case "pattern" -> where + ": " + describeValue(value) + " does not match the pattern " + rule;
                case "enum" -> where + ": " + describeValue(value) + " is not one of " + enumValues(rule);
                case "const" -> where + ": " + describeValue(value) + " is not the allowed value " + rule;
                case "format" -> where + ": " + describeValue(value) + " is not a valid " + rule;
                default -> where + ": " + error.getError();
            };
        }

        private String requiredMessage(String where, String keywordPointer) {
            Matcher m = QUOTED.matcher(String.valueOf(error.getError()));
            String property = m.find() ? m.group(1) : "?";
            String path = (where.equals("(root)") ? "" : where) + "/" + property;
            return path + ": missing required property" + condition(keywordPointer);
        }

        /** For a {@code then/required}: " (required when kind is 'glyph')", from the sibling {@code if}. */
        private String condition(String keywordPointer) {
            if (!keywordPointer.endsWith("/then/required")) {
                return "";
            }
            Object ifSchema = resolve(schema, keywordPointer.replaceAll("/then/required$", "/if/properties"));
            if (!(ifSchema instanceof JsonObject props)) {
                return "";
            }
            List<String> conditions = new ArrayList<>();
            for (String name : props.fieldNames()) {
                Object c = props.getJsonObject(name).getValue("const");
                if (c != null) {
                    conditions.add(name + " is " + describeValue(c));
                }
            }
            return conditions.isEmpty() ? "" : " (required when " + String.join(" and ", conditions) + ")";
        }

        private String declared(String keywordPointer) {
            Object parent = resolve(schema, keywordPointer.replaceAll("/additionalProperties$", "/properties"));
            return parent instanceof JsonObject p ? String.join(", ", p.fieldNames()) : "none";
        }

        /** "at least 3", "at most 3" or "exactly 3" from the min/max pair in the same schema. */
        private String countRule(String keywordPointer, String suffix) {
            String base = keywordPointer.substring(0, keywordPointer.lastIndexOf('/'));
            Object min = resolve(schema, base + "/min" + suffix);
            Object max = resolve(schema, base + "/max" + suffix);
            if (min != null && min.equals(max)) {
                return "exactly " + min;
            }
            return keywordPointer.endsWith("/min" + suffix) ? "at least " + min : "at most " + max;
        }
    }

    private static String typeNames(Object rule) {
        if (rule instanceof JsonArray a) {
            return a.stream().map(String::valueOf).collect(Collectors.joining(" or "));
        }
        return String.valueOf(rule);
    }

    private static String enumValues(Object rule) {
        if (rule instanceof JsonArray a) {
            return a.stream().map(SchemaErrors::describeValue).collect(Collectors.joining(", "));
        }
        return String.valueOf(rule);
    }

    private static int size(Object value) {
        if (value instanceof JsonArray a) {
            return a.size();
        }
        return value instanceof String s ? s.codePointCount(0, s.length()) : -1;
    }

    static String describeValue(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof String s) {
            return "'" + (s.length() > MAX_VALUE_CHARS ? s.substring(0, MAX_VALUE_CHARS) + "..." : s) + "'";
        }
        if (value instanceof JsonObject) {
            return "an object";
        }
        if (value instanceof JsonArray a) {
            return "an array of " + a.size() + " items";
        }
        return value instanceof Boolean ? "boolean " + value : "number " + value;
    }

    /** "#/a/b" or "urn:...#/a/b" to the JSON pointer "/a/b"; "#" to "". */
    private static String fragment(String location) {
        if (location == null) {
            return "";
        }
        int hash = location.indexOf('#');
        return hash < 0 ? "" : location.substring(hash + 1);
    }

    private static String pointer(String instanceLocation) {
        return fragment(instanceLocation);
    }

    private static String display(String pointer) {
        return pointer.isEmpty() ? "(root)" : pointer;
    }

    private static String lastSegment(String location) {
        String p = location.contains("#") ? fragment(location) : location;
        String segment = p.substring(p.lastIndexOf('/') + 1);
        return segment.replace("~1", "/").replace("~0", "~");
    }

    private static Object resolve(Object document, String pointer) {
        if (document == null) {
            return null;
        }
        try {
            return JsonPointer.from(pointer).queryJson(document);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
