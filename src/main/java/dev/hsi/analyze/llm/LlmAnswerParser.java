package dev.hsi.analyze.llm;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the judgement out of the LLM's text as the original does: reasoning inside {@code <think>…</think>} is
 * dropped, the first JSON object that carries a {@code risk_score} is taken (models wrap it in prose or code
 * fences), the score is clamped to 0..100. Anything else is an {@link UnusableAnswerException}.
 */
public final class LlmAnswerParser {

    static final String DEFAULT_SUMMARY = "Risk analysis completed";
    static final String DEFAULT_REASONING = "No detailed reasoning provided";
    private static final Set<String> LEVELS = Set.of("low", "medium", "high", "critical");
    private static final Pattern THINKING = Pattern.compile("(?s)<think>.*?</think>");
    private static final int MAX_QUOTED = 200;

    private LlmAnswerParser() {
    }

    public static LlmVerdict parse(String text) {
        String answer = withoutThinking(text);
        JsonObject json = firstJudgement(answer).orElseThrow(() -> new UnusableAnswerException(
                "no JSON object with a risk_score in the answer: " + quote(text)));
        int score = (int) Math.max(0, Math.min(100, Math.round(number(json.getValue("risk_score"), text))));
        Object level = json.getValue("risk_level");
        Optional<String> named = level instanceof String name && LEVELS.contains(name.trim().toLowerCase(Locale.ROOT))
                ? Optional.of(name.trim().toLowerCase(Locale.ROOT)) : Optional.empty();
        return new LlmVerdict(score, named, text(json, "summary", DEFAULT_SUMMARY),
                text(json, "reasoning", DEFAULT_REASONING));
    }

    /** Closed thinking blocks go; so does everything before a lone {@code </think>} and after a lone {@code <think>}. */
    static String withoutThinking(String text) {
        String answer = THINKING.matcher(text).replaceAll("");
        int close = answer.lastIndexOf("</think>");
        if (close >= 0) {
            answer = answer.substring(close + "</think>".length());
        }
        int open = answer.indexOf("<think>");
        if (open >= 0) {
            answer = answer.substring(0, open);
        }
        return answer;
    }

    /** The first balanced {...} that parses as JSON and has a risk_score; braces inside strings are skipped. */
    static Optional<JsonObject> firstJudgement(String text) {
        for (int start = text.indexOf('{'); start >= 0; start = text.indexOf('{', start + 1)) {
            int end = matchingBrace(text, start);
            if (end < 0) {
                return Optional.empty();
            }
            try {
                JsonObject json = new JsonObject(text.substring(start, end + 1));
                if (json.containsKey("risk_score")) {
                    return Optional.of(json);
                }
            } catch (DecodeException notJson) {
                // prose with braces, or a broken object: look further
            }
        }
        return Optional.empty();
    }

    private static int matchingBrace(String text, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    private static double number(Object value, String answer) {
        if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
            return number.doubleValue();
        }
        if (value instanceof String text) {
            try {
                double parsed = Double.parseDouble(text.trim());
                if (Double.isFinite(parsed)) {
                    return parsed;
                }
            } catch (NumberFormatException notANumber) {
                // reported below
            }
        }
        throw new UnusableAnswerException("risk_score is not a number (" + value + ") in: " + quote(answer));
    }

    private static String text(JsonObject json, String field, String defaultValue) {
        Object value = json.getValue(field);
        return value instanceof String text && !text.isBlank() ? text.trim() : defaultValue;
    }

    private static String quote(String text) {
        String flat = text.replaceAll("\\s+", " ").trim();
        return "'" + (flat.length() > MAX_QUOTED ? flat.substring(0, MAX_QUOTED) + "…" : flat) + "'";
    }
}
