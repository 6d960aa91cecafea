package dev.burnrate.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Any instance answers any query: a service owned by another instance is fetched from it; list queries gather
 * every instance's local answer. While the group is rebalancing, or an instance cannot be reached, the answer is a
 * {@link QueryUnavailableException} (HTTP 503) rather than a partial list presented as complete.
 */
public final class QueryService {
    /** Marks a request forwarded by another instance: answer locally or say you can't, never forward again. */
    public static final String FORWARDED_HEADER = "X-Burnrate-Forwarded";

    private final LocalQueries local;
    private final AlertHistory history;
    private final Cluster cluster;
    private final String token;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public QueryService(LocalQueries local, AlertHistory history, Cluster cluster, String bearerToken, ObjectMapper json) {
        this.local = local;
        this.history = history;
        this.cluster = cluster;
        this.token = bearerToken;
        this.json = json;
    }

    public Views.ServiceList services() {
        List<Views.ServiceSummary> all = new ArrayList<>();
        Set<Integer> answered = new TreeSet<>();
        List<HostInfo> instances = stableInstances();
        for (HostInfo h : instances) {
            Views.LocalServices part = h.equals(cluster.self()) ? local.localServices() : fetch(h, "/internal/services", Views.LocalServices.class);
            answered.addAll(part.partitions());
            all.addAll(part.services());
        }
        requireEvery(answered);
        all.sort(Comparator.comparing(Views.ServiceSummary::service));
        return new Views.ServiceList(Instant.now().toString(), instances.size(), all);
    }

    public Views.AlertList alerts() {
        List<Views.AlertView> all = new ArrayList<>();
        Set<Integer> answered = new TreeSet<>();
        List<HostInfo> instances = stableInstances();
        for (HostInfo h : instances) {
            Views.LocalAlerts part = h.equals(cluster.self()) ? local.localAlerts() : fetch(h, "/internal/alerts", Views.LocalAlerts.class);
            answered.addAll(part.partitions());
            all.addAll(part.alerts());
        }
        requireEvery(answered);
        all.sort(Comparator.comparing(Views.AlertView::state).thenComparing(Views.AlertView::id));
        return new Views.AlertList(Instant.now().toString(), instances.size(), all);
    }

    /** This instance's part of a list, for the instance gathering it: only while this one is stable. */
    public Views.LocalServices localServices() {
        stableInstances();
        return local.localServices();
    }

    public Views.LocalAlerts localAlerts() {
        stableInstances();
        return local.localAlerts();
    }

    /**
     * A list is complete only when every partition was answered for: while a partition moves (revoked from one
     * instance, restoring on another), each instance can be RUNNING and still none holds it.
     */
    private void requireEvery(Set<Integer> answered) {
        if (answered.size() < local.partitions()) {
            Set<Integer> missing = new TreeSet<>();
            for (int p = 0; p < local.partitions(); p++) if (!answered.contains(p)) missing.add(p);
            throw new QueryUnavailableException("partition(s) " + missing + " are moving between instances; retry shortly");
        }
    }

    /**
     * @param forwarded whether another instance sent this request (then it must be answered here)
     * @param pathAndQuery the original request, to forward as it is
     */
    public Views.ServiceDetail service(String service, int routeLimit, boolean forwarded, String pathAndQuery) {
        if (!owned(service, forwarded)) return fetch(owner(service), pathAndQuery, Views.ServiceDetail.class);
        Views.ServiceDetail d = local.detail(service, routeLimit);
        if (d == null) throw new NotFoundException("no such service: " + service);
        return d;
    }

    public Views.TimeSeries timeseries(String service, String route, long from, long to, Duration step, boolean forwarded, String pathAndQuery) {
        if (!owned(service, forwarded)) return fetch(owner(service), pathAndQuery, Views.TimeSeries.class);
        Views.TimeSeries t = local.timeseries(service, route, from, to, step);
        if (t == null) throw new NotFoundException("no such service: " + service);
        return t;
    }

    public Views.BurnRateSeries burnRates(String service, String slo, long from, long to, Duration step, boolean forwarded, String pathAndQuery) {
        if (!owned(service, forwarded)) return fetch(owner(service), pathAndQuery, Views.BurnRateSeries.class);
        Views.BurnRateSeries b = local.burnRates(service, slo, from, to, step);
        if (b == null) throw new NotFoundException("no such service: " + service);
        return b;
    }

    /** Every instance reads the whole alerts topic: answered here, never forwarded. */
    public Views.AlertHistory history(String service, long from, long to) {
        return history.episodes(service, from, to);
    }

    private boolean owned(String service, boolean forwarded) {
        if (!cluster.stable()) throw new QueryUnavailableException("the application is rebalancing or restoring state; retry shortly");
        if (local.isLocal(service)) return true;
        if (forwarded) throw new QueryUnavailableException("service " + service + " moved off this instance during the request; retry");
        return false;
    }

    private HostInfo owner(String service) {
        return cluster.ownerOf(service).orElseThrow(() -> new QueryUnavailableException("owner of service " + service + " unknown (rebalancing); retry shortly"));
    }

    private List<HostInfo> stableInstances() {
        if (!cluster.stable()) throw new QueryUnavailableException("the application is rebalancing or restoring state; retry shortly");
        List<HostInfo> instances = cluster.instances();
        if (instances.isEmpty()) throw new QueryUnavailableException("no instance holds the windows stores yet");
        return instances;
    }

    private <T> T fetch(HostInfo host, String pathAndQuery, Class<T> type) {
        URI uri = URI.create("http://" + host.host() + ":" + host.port() + pathAndQuery);
        HttpRequest.Builder req = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).header(FORWARDED_HEADER, "1").GET();
        if (!token.isEmpty()) req.header("Authorization", "Bearer " + token);
        try {
            HttpResponse<byte[]> r = http.send(req.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() == 200) return json.readValue(r.body(), type);
            Views.Problem p = json.readValue(r.body(), Views.Problem.class);
            switch (r.statusCode()) {
                case 404 -> throw new NotFoundException(p.error());
                case 400 -> throw new BadRequestException(p.error());
                default -> throw new QueryUnavailableException("instance " + host.host() + ":" + host.port() + " answered " + r.statusCode() + ": " + p.error());
            }
        } catch (IOException e) {
            throw new QueryUnavailableException("instance " + host.host() + ":" + host.port() + " unreachable: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueryUnavailableException("interrupted");
        }
    }

    /** Rebuilds a query string from parameters (for forwarding). */
    public static String query(Map<String, List<String>> params) {
        if (params.isEmpty()) return "";
        return "?" + params.entrySet().stream().flatMap(e -> e.getValue().stream()
                        .map(v -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)))
                .collect(Collectors.joining("&"));
    }
}
