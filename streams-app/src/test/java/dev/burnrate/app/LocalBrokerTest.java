package dev.burnrate.app;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBrokerTest {

    @Test
    void aTakenPortIsAConfigErrorNamingThePortAndTheKeysNotABrokerCrash(@TempDir Path dir) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            AppConfig cfg = AppConfig.ofMap(Map.of("embedded.port", Integer.toString(port),
                    "embedded.data.dir", dir.resolve("kafka").toString()));
            ConfigException e = assertThrows(ConfigException.class, () -> LocalBroker.start(cfg, b -> { }));
            assertTrue(e.getMessage().contains("127.0.0.1:" + port + " is in use"), e.getMessage());
            assertTrue(e.getMessage().contains("embedded.port") && e.getMessage().contains("bootstrap.servers"), e.getMessage());
            assertFalse(Files.exists(dir.resolve("kafka")), "nothing started, nothing written");
        }
    }
}
