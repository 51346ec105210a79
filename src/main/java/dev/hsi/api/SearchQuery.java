package dev.hsi.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The original's event search syntax, turned into PostgreSQL {@code tsquery} text:
 * <ul>
 *   <li>words are all required (implicit AND; an explicit {@code AND} is accepted and changes nothing);</li>
 *   <li>{@code "a phrase"} requires its words next to each other, in that order;</li>
 *   <li>{@code OR} between two terms requires either;</li>
 *   <li>{@code NOT} before a term (word or phrase) excludes the events that have it.</li>
 * </ul>
 * Operators are recognised in any case, as in the original. AND binds tighter than OR, as in tsquery and the
 * original: {@code person car OR truck} means (person AND car) OR truck.
 *
 * <p>Every word and phrase goes to PostgreSQL as one quoted lexeme with quotes and backslashes escaped, so the same
 * parser and English stemmer that built {@code search_vector} normalise it (a hyphenated word or a phrase becomes a
 * followed-by chain there), and nothing a user types can change the structure of the query.
 */
final class SearchQuery {

    static final int MAX_LENGTH = 500;

    private SearchQuery() {
    }

    /** The tsquery text for {@code q}; a 400 for an empty, too long or unparseable query. */
    static String toTsQuery(String q) {
        if (q == null || q.isBlank()) {
            throw ApiError.badRequest("q is required: the words to search for");
        }
        if (q.length() > MAX_LENGTH) {
            throw ApiError.badRequest("q must be at most " + MAX_LENGTH + " characters, got " + q.length());
        }
        StringBuilder query = new StringBuilder();
        boolean or = false;
        boolean not = false;
        for (String token : tokens(q)) {
            switch (token.toUpperCase(Locale.ROOT)) {
                case "AND" -> {
                }
                case "OR" -> or = query.length() > 0;
                case "NOT" -> not = true;
                default -> {
                    String term = lexeme(token);
                    if (term != null) {
                        if (query.length() > 0) {
                            query.append(or ? " | " : " & ");
                        }
                        query.append(not ? "!" : "").append(term);
                    }
                    or = false;
                    not = false;
                }
            }
        }
        if (query.length() == 0) {
            throw ApiError.badRequest("q must contain at least one word to search for, got '" + q + "'");
        }
        return query.toString();
    }

    /** Words and operators as typed, and each quoted phrase as one token that keeps its quotes. */
    private static List<String> tokens(String q) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < q.length()) {
            char c = q.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                int close = q.indexOf('"', i + 1);
                if (close < 0) {
                    throw ApiError.badRequest("q has an unclosed double quote at character " + (i + 1)
                            + ": a phrase must end with \"");
                }
                tokens.add(q.substring(i, close + 1));
                i = close + 1;
            } else {
                int end = i;
                while (end < q.length() && !Character.isWhitespace(q.charAt(end)) && q.charAt(end) != '"') {
                    end++;
                }
                tokens.add(q.substring(i, end));
                i = end;
            }
        }
        return tokens;
    }

    /** A word or phrase as a quoted tsquery lexeme, or null when it holds nothing searchable (only punctuation). */
    private static String lexeme(String token) {
        String text = token.startsWith("\"") ? token.substring(1, token.length() - 1) : token;
        text = text.strip().replaceAll("\\s+", " ");
        if (text.codePoints().noneMatch(Character::isLetterOrDigit)) {
            return null;
        }
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
