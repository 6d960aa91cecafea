package dev.burnrate.ingest;

import dev.burnrate.core.SkipReason;
import dev.burnrate.core.DeadLetterReason;

/**
 * Which service and route names the processor accepts. A name travels far: Prometheus' text format (label values),
 * the alert record and what the notifier makes of it (Alertmanager labels, PagerDuty and Slack text), log lines, the
 * HTTP API and the page. Characters that no real name holds and that break those systems are rejected at the door,
 * rather than escaped in each of them (where two raw names could also collapse into one escaped form): the C0 and C1
 * control characters (NUL, ESC, newline, ...), DEL, the Unicode line and paragraph separators, and lone surrogates
 * (a JSON {@code \ud800} escape, which has no UTF-8 form). Everything else (quotes, backslashes, angle brackets, any
 * script, emoji) is a name like any other, and each output escapes it by its own rules.
 */
public final class Names {
    private Names() {
    }

    /** The index of the first character that makes {@code name} unacceptable, or -1. */
    public static int firstInvalid(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') return i;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < name.length() && Character.isLowSurrogate(name.charAt(i + 1))) i++;
                else return i;
            } else if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /** A sink that passes on events with acceptable names and remembers the first rejected one. */
    static final class Checked implements EventDecoder.Sink {
        private final EventDecoder.Sink next;
        private String rejected;

        Checked(EventDecoder.Sink next) {
            this.next = next;
        }

        @Override
        public void event(AccessEvent e) {
            String why = why("service", e.service());
            if (why == null) why = why("route", e.route());
            if (why == null) next.event(e);
            else if (rejected == null) rejected = why;
        }

        @Override
        public void skipped(SkipReason reason) {
            next.skipped(reason);
        }

        void throwIfRejected() throws InvalidRecordException {
            if (rejected != null) throw new InvalidRecordException(DeadLetterReason.INVALID_NAME, rejected);
        }

        private static String why(String field, String name) {
            int i = firstInvalid(name);
            return i < 0 ? null : String.format("%s name has U+%04X at index %d", field, (int) name.charAt(i), i);
        }
    }
}
