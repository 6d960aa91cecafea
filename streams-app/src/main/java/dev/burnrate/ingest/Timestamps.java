package dev.burnrate.ingest;

/**
 * Reads an access log's timestamp, in the forms {@link JsonAccessLogParser} documents (its "Timestamp" rule): ISO-8601,
 * nginx's {@code $time_local}, and epoch numbers whose unit follows from their magnitude. Works on any
 * {@link CharSequence}, so the parser reads a value straight from the record's bytes without making a String of it;
 * no {@code java.time} formatter or object per value.
 */
final class Timestamps {
    /** Zero, which means "unset" (as in OTLP): the field counts as absent. */
    static final long NO_TIME = Long.MIN_VALUE;
    /** Present but unreadable. */
    static final long BAD_TIME = Long.MIN_VALUE + 1;

    private Timestamps() {
    }

    /** Epoch millis of a text value (surrounding whitespace ignored), {@link #NO_TIME} or {@link #BAD_TIME}. */
    static long fromText(CharSequence raw) {
        int from = Text.stripStart(raw), to = Text.stripEnd(raw, from);
        int dots = Text.numeric(raw, from, to);
        if (dots == 0 && to - from <= 18) return fromEpochNumber(Text.parseDigits(raw, from, to)); // fits a long
        if (dots == 0 && to - from == 19) {
            try {
                return fromEpochNumber(Long.parseLong(raw.subSequence(from, to).toString()));
            } catch (NumberFormatException e) {
                // beyond Long.MAX_VALUE: falls to the double, which rejects it
            }
        }
        if (dots >= 0) return fromEpochNumber(Text.parseDecimal(raw, from, to));
        long ms = parseIso(raw, from, to);
        return ms != BAD_TIME ? ms : parseNginxLocal(raw, from, to);
    }

    static long fromEpochNumber(long v) {
        if (v == 0) return NO_TIME;
        if (v < 0) return BAD_TIME;
        if (v < 100_000_000_000L) return v * 1000;               // seconds
        if (v < 100_000_000_000_000L) return v;                  // millis
        if (v < 100_000_000_000_000_000L) return v / 1000;       // micros
        return v / 1_000_000;                                    // nanos
    }

    static long fromEpochNumber(double v) {
        if (v == 0) return NO_TIME;
        if (!(v > 0) || v >= 9.2e18) return BAD_TIME;           // negative, NaN, beyond long nanos
        if (v < 1e11) return Math.round(v * 1000);
        if (v < 1e14) return Math.round(v);
        if (v < 1e17) return (long) (v / 1e3);
        return (long) (v / 1e6);
    }

    static long parseIso(CharSequence s) {
        return parseIso(s, 0, s.length());
    }

    /** {@code yyyy-MM-dd[T ]HH:mm[:ss[.fff...]][Z|±hh[:]mm|±hh]} in {@code s[b, n)}, epoch millis or {@link #BAD_TIME}. */
    static long parseIso(CharSequence s, int b, int n) {
        if (n - b < 16) return BAD_TIME;
        int year = digits(s, b, 4, n), month = digits(s, b + 5, 2, n), day = digits(s, b + 8, 2, n);
        if (year < 0 || month < 0 || day < 0 || s.charAt(b + 4) != '-' || s.charAt(b + 7) != '-') return BAD_TIME;
        char sep = s.charAt(b + 10);
        if (sep != 'T' && sep != 't' && sep != ' ') return BAD_TIME;
        int hour = digits(s, b + 11, 2, n), minute = digits(s, b + 14, 2, n);
        if (hour < 0 || minute < 0 || s.charAt(b + 13) != ':') return BAD_TIME;
        int i = b + 16, second = 0, millis = 0;
        if (i < n && s.charAt(i) == ':') {
            second = digits(s, i + 1, 2, n);
            if (second < 0) return BAD_TIME;
            i += 3;
            if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
                i++;
                int start = i;
                while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                    if (i - start < 3) millis = millis * 10 + (s.charAt(i) - '0');
                    i++;
                }
                if (i == start) return BAD_TIME;
                for (int k = i - start; k < 3; k++) millis *= 10;
            }
        }
        int offsetSeconds = 0;
        if (i < n) {
            char z = s.charAt(i);
            if ((z == 'Z' || z == 'z') && i == n - 1) {
                offsetSeconds = 0;
            } else if (z == '+' || z == '-') {
                int oh = digits(s, i + 1, 2, n), om = 0;
                int rest = n - (i + 3);
                if (oh < 0) return BAD_TIME;
                if (rest == 3 && s.charAt(i + 3) == ':') om = digits(s, i + 4, 2, n);
                else if (rest == 2) om = digits(s, i + 3, 2, n);
                else if (rest != 0) return BAD_TIME;
                if (om < 0 || oh > 18 || om > 59) return BAD_TIME;
                offsetSeconds = (oh * 3600 + om * 60) * (z == '-' ? -1 : 1);
            } else {
                return BAD_TIME;
            }
        }
        if (hour > 23 || minute > 59 || second > 59) return BAD_TIME;
        long epochDay = epochDay(year, month, day);
        if (epochDay == BAD_TIME) return BAD_TIME;
        long secs = epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        return secs * 1000 + millis;
    }

    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    static long parseNginxLocal(CharSequence s) {
        return parseNginxLocal(s, 0, s.length());
    }

    /** nginx {@code $time_local}: {@code dd/MMM/yyyy:HH:mm:ss ±hhmm} in {@code s[b, n)}. */
    static long parseNginxLocal(CharSequence s, int b, int n) {
        if (n - b != 26 || s.charAt(b + 2) != '/' || s.charAt(b + 6) != '/' || s.charAt(b + 11) != ':'
                || s.charAt(b + 14) != ':' || s.charAt(b + 17) != ':' || s.charAt(b + 20) != ' ') return BAD_TIME;
        int m = MONTHS.indexOf(s.subSequence(b + 3, b + 6).toString());
        if (m < 0 || m % 3 != 0) return BAD_TIME;
        int day = digits(s, b, 2, n), year = digits(s, b + 7, 4, n), hour = digits(s, b + 12, 2, n),
                minute = digits(s, b + 15, 2, n), second = digits(s, b + 18, 2, n), oh = digits(s, b + 22, 2, n),
                om = digits(s, b + 24, 2, n);
        char sign = s.charAt(b + 21);
        if (day < 0 || year < 0 || hour < 0 || minute < 0 || second < 0 || oh < 0 || om < 0
                || (sign != '+' && sign != '-') || hour > 23 || minute > 59 || second > 59 || om > 59) return BAD_TIME;
        long epochDay = epochDay(year, m / 3 + 1, day);
        if (epochDay == BAD_TIME) return BAD_TIME;
        int offsetSeconds = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
        return (epochDay * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds) * 1000;
    }

    /** Days since 1970-01-01 of a valid date of years 0-9999 (what {@code LocalDate.of(..).toEpochDay()} gives), or
     * {@link #BAD_TIME} for a month or day that does not exist. */
    static long epochDay(int year, int month, int day) {
        if (month < 1 || month > 12 || day < 1) return BAD_TIME;
        boolean leap = (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
        int monthLength = month == 2 ? (leap ? 29 : 28) : month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
        if (day > monthLength) return BAD_TIME;
        // as java.time.LocalDate.toEpochDay, for non-negative years
        long y = year, total = 365 * y + (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
        total += (367 * month - 362) / 12;
        total += day - 1;
        if (month > 2) total -= leap ? 1 : 2;
        return total - 719_528; // days from year 0 to 1970
    }

    /** Non-negative value of {@code len} ASCII digits at {@code from} (before {@code end}), or -1. */
    private static int digits(CharSequence s, int from, int len, int end) {
        if (from + len > end) return -1;
        int v = 0;
        for (int i = from; i < from + len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
