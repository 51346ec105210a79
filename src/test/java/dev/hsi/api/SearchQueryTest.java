package dev.hsi.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The original's search syntax becomes tsquery text; what the text then matches is EventSearchTest's business. */
class SearchQueryTest {

    @Test
    @DisplayName("Plain words are all required (implicit AND), and an explicit AND changes nothing")
    void implicitAnd() {
        assertThat(SearchQuery.toTsQuery("person vehicle")).isEqualTo("'person' & 'vehicle'");
        assertThat(SearchQuery.toTsQuery("person AND vehicle")).isEqualTo("'person' & 'vehicle'");
    }

    @Test
    @DisplayName("A quoted phrase stays one lexeme, which PostgreSQL turns into a followed-by chain")
    void phrase() {
        assertThat(SearchQuery.toTsQuery("\"suspicious   person\" night"))
                .isEqualTo("'suspicious person' & 'night'");
    }

    @Test
    @DisplayName("OR joins its neighbours; NOT excludes a word or a phrase; operators work in any case")
    void orAndNot() {
        assertThat(SearchQuery.toTsQuery("person OR animal")).isEqualTo("'person' | 'animal'");
        assertThat(SearchQuery.toTsQuery("person not cat")).isEqualTo("'person' & !'cat'");
        assertThat(SearchQuery.toTsQuery("NOT \"delivery van\" truck")).isEqualTo("!'delivery van' & 'truck'");
        assertThat(SearchQuery.toTsQuery("person car or truck")).isEqualTo("'person' & 'car' | 'truck'");
    }

    @Test
    @DisplayName("Dangling operators are dropped instead of breaking the query")
    void danglingOperators() {
        assertThat(SearchQuery.toTsQuery("OR person OR OR car OR")).isEqualTo("'person' | 'car'");
        assertThat(SearchQuery.toTsQuery("person NOT")).isEqualTo("'person'");
        assertThat(SearchQuery.toTsQuery("AND person")).isEqualTo("'person'");
    }

    @Test
    @DisplayName("Quotes and backslashes typed by the user are escaped inside the lexeme; tsquery operators stay text")
    void escapes() {
        assertThat(SearchQuery.toTsQuery("o'brien")).isEqualTo("'o\\'brien'");
        assertThat(SearchQuery.toTsQuery("back\\slash")).isEqualTo("'back\\\\slash'");
        assertThat(SearchQuery.toTsQuery("a&b|!c:*")).isEqualTo("'a&b|!c:*'");
        assertThat(SearchQuery.toTsQuery("person !!! &&")).isEqualTo("'person'");
    }

    @Test
    @DisplayName("Empty, too long, unclosed or word-less queries are refused with the reason")
    void refused() {
        assertThatThrownBy(() -> SearchQuery.toTsQuery(null)).hasMessageContaining("q is required");
        assertThatThrownBy(() -> SearchQuery.toTsQuery("   ")).hasMessageContaining("q is required");
        assertThatThrownBy(() -> SearchQuery.toTsQuery("x".repeat(SearchQuery.MAX_LENGTH + 1)))
                .hasMessageContaining("at most 500 characters");
        assertThatThrownBy(() -> SearchQuery.toTsQuery("\"suspicious person"))
                .hasMessageContaining("unclosed double quote at character 1");
        assertThatThrownBy(() -> SearchQuery.toTsQuery("OR NOT !!! \"--\""))
                .hasMessageContaining("at least one word");
        assertThatThrownBy(() -> SearchQuery.toTsQuery("\"\""))
                .isInstanceOf(ApiError.class)
                .satisfies(e -> assertThat(((ApiError) e).status()).isEqualTo(400));
    }
}
