package dev.burnrate.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.burnrate.core.DeadLetterReason;
import org.junit.jupiter.api.Test;

/** Which names are rejected (control characters, line separators, lone surrogates) and which are names like any other. */
class NamesTest {
    @Test
    void controlCharactersSeparatorsAndLoneSurrogatesAreRejectedWhereTheyAre() {
        assertEquals(3, Names.firstInvalid("pay\u0000"));
        assertEquals(0, Names.firstInvalid("\tpay"));
        assertEquals(1, Names.firstInvalid("a\u001b[31m"));
        assertEquals(1, Names.firstInvalid("a\u007f"));
        assertEquals(1, Names.firstInvalid("a\u0085b")); // C1 (NEL)
        assertEquals(2, Names.firstInvalid("ab\u2028"));
        assertEquals(1, Names.firstInvalid("a\u2029"));
        assertEquals(1, Names.firstInvalid("a\ud800b")); // high surrogate without its low half
        assertEquals(1, Names.firstInvalid("a\udc00"));
        assertEquals(2, Names.firstInvalid("🔥\ud83d"));
    }

    @Test
    void everythingElseIsANameLikeAnyOther() {
        for (String ok : new String[] {"checkout", "pay \"v2\" \\ <b>&amp;", "ünïcødé", "支付", "🔥-svc", "/api/{id}?x=1#y", ""}) {
            assertEquals(-1, Names.firstInvalid(ok), ok);
        }
    }

    @Test
    void aRecordWithABadNameIsDeadLetteredAndGivesNoEvent() throws Exception {
        CollectingSink sink = new CollectingSink();
        InvalidRecordException e = assertThrows(InvalidRecordException.class, () -> ShipperFormatsTest.DECODER.decode(
                "{\"service\":\"a\\u0000b\",\"status\":500}".getBytes(java.nio.charset.StandardCharsets.UTF_8), 0, sink));
        assertEquals(DeadLetterReason.INVALID_NAME, e.reason());
        assertEquals("service name has U+0000 at index 1", e.getMessage());
        assertEquals(0, sink.events.size());
    }
}
