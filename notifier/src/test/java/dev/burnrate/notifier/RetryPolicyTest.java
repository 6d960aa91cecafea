package dev.burnrate.notifier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.burnrate.notifier.delivery.HttpSender;
import dev.burnrate.notifier.delivery.Message;
import dev.burnrate.notifier.delivery.Outcome;
import dev.burnrate.notifier.delivery.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The retry rules over real HTTP (the JDK client against a local server): what is retried, how long, what is final. */
class RetryPolicyTest {
    private final HttpSender http = new HttpSender(Duration.ofMillis(500));
    private final RetryPolicy policy = new RetryPolicy(Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofSeconds(20));

    private Outcome deliver(FakeReceiver r, List<String> retries) throws InterruptedException {
        return policy.deliver(http, new Message(r.url("/x"), "{}", "test"), retries::add);
    }

    @Test
    void retries429And500AndATimeoutThenSucceeds() throws Exception {
        try (FakeReceiver r = new FakeReceiver(202).then(429, null, 0, "slow down").then(500, null, 0, "oops").then(200, null, 1500, "late")) {
            List<String> retries = new ArrayList<>();
            Outcome o = deliver(r, retries);
            assertTrue(o.delivered(), o.toString());
            assertEquals(4, o.attempts());
            assertEquals(3, retries.size(), retries.toString());
            assertTrue(retries.get(0).startsWith("HTTP 429"), retries.toString());
            assertTrue(retries.get(1).startsWith("HTTP 500: oops"), retries.toString());
            assertTrue(retries.get(2).contains("HttpTimeoutException"), retries.toString());
        }
    }

    @Test
    void honoursRetryAfter() throws Exception {
        try (FakeReceiver r = new FakeReceiver(202).then(429, "2", 0, "")) {
            long start = System.nanoTime();
            Outcome o = deliver(r, new ArrayList<>());
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertTrue(o.delivered());
            // the backoff alone would have waited at most 50 ms
            assertTrue(ms >= 2000, "waited the receiver's Retry-After of 2 s, not the backoff: " + ms + " ms");
        }
    }

    @Test
    void a400IsFinalAtOnceWithTheResponseBody() throws Exception {
        try (FakeReceiver r = new FakeReceiver(202).then(400, null, 0, "{\"status\":\"invalid event\"}")) {
            List<String> retries = new ArrayList<>();
            Outcome o = deliver(r, retries);
            assertFalse(o.delivered());
            assertEquals("rejected", o.reason());
            assertEquals("HTTP 400: {\"status\":\"invalid event\"}", o.detail());
            assertEquals(1, r.requests());
            assertTrue(retries.isEmpty());
        }
    }

    @Test
    void givesUpAfterMaxElapsed() throws Exception {
        RetryPolicy short_ = new RetryPolicy(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(1500));
        try (FakeReceiver r = new FakeReceiver(503)) {
            long start = System.nanoTime();
            Outcome o = short_.deliver(new HttpSender(Duration.ofSeconds(5)), new Message(r.url("/x"), "{}", "test"), x -> { });
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertFalse(o.delivered());
            assertEquals("gave-up", o.reason());
            assertTrue(o.detail().contains("HTTP 503"), o.detail());
            assertTrue(r.requests() >= 2, "retried before giving up: " + r.requests());
            assertTrue(ms < 1500 + 5000, "stopped retrying at max elapsed: " + ms + " ms");
        }
    }

    @Test
    void backoffGrowsExponentiallyWithJitterUpToTheMax() throws Exception {
        // seen from outside: the gaps between a receiver's requests
        RetryPolicy p = new RetryPolicy(Duration.ofMillis(100), Duration.ofMillis(800), Duration.ofSeconds(30));
        try (FakeReceiver r = new FakeReceiver(202)) {
            for (int i = 0; i < 5; i++) r.then(503, null, 0, "");
            List<Long> at = new ArrayList<>();
            Outcome o = p.deliver(m -> {
                at.add(System.nanoTime());
                return http.send(m);
            }, new Message(r.url("/x"), "{}", "test"), x -> { });
            assertTrue(o.delivered());
            List<Long> gaps = new ArrayList<>();
            for (int i = 1; i < at.size(); i++) gaps.add((at.get(i) - at.get(i - 1)) / 1_000_000);
            // steps 100, 200, 400, 800, 800 ms, each waited somewhere in [step/2, step] (+ request time)
            long[] step = {100, 200, 400, 800, 800};
            for (int i = 0; i < step.length; i++) {
                assertTrue(gaps.get(i) >= step[i] / 2 && gaps.get(i) <= step[i] + 150, "gap " + i + " " + gaps);
            }
        }
    }
}
