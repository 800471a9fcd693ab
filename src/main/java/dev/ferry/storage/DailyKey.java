package dev.ferry.storage;

import java.util.function.Function;

/**
 * A request-signing key that depends on the day (SigV4, TOS4): derived for the day asked for and kept until another
 * day is asked for, since deriving it takes four HMACs and it changes once a day. Thread-safe: threads that race on
 * a new day each derive the same key. Held in memory only, like the secret it comes from.
 */
public final class DailyKey {
    private final Function<String, byte[]> derive;
    private volatile Entry last;

    private record Entry(String day, byte[] key) {
    }

    /** @param derive the key of a day ({@code yyyyMMdd}); its result is never changed afterwards */
    public DailyKey(Function<String, byte[]> derive) {
        this.derive = derive;
    }

    public byte[] of(String day) {
        Entry e = last;
        if (e == null || !e.day().equals(day)) {
            e = new Entry(day, derive.apply(day));
            last = e;
        }
        return e.key();
    }
}
