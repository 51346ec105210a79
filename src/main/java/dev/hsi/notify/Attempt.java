package dev.hsi.notify;

/** The outcome of one try at sending: done, worth trying again, or refused for good. */
record Attempt(Kind kind, String error) {

    enum Kind { DELIVERED, RETRY, GIVE_UP }

    static Attempt delivered() {
        return new Attempt(Kind.DELIVERED, null);
    }

    static Attempt retry(String error) {
        return new Attempt(Kind.RETRY, error);
    }

    static Attempt giveUp(String error) {
        return new Attempt(Kind.GIVE_UP, error);
    }
}
