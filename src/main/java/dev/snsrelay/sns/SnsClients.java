package dev.snsrelay.sns;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.snsrelay.settings.AppSettings;
import dev.snsrelay.settings.AuthType;
import org.apache.camel.CamelContext;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.spi.BeanRepository;
import org.apache.camel.support.DefaultRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.SnsClientBuilder;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.StsClientBuilder;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;

/**
 * One {@link SnsClient} per app, served to the Camel registry under a name that changes whenever
 * the app's connection settings change, so the aws2-sns endpoint URI carries only that name and
 * never a secret. A superseded client is closed and its endpoints removed at once.
 */
public final class SnsClients implements AutoCloseable, BeanRepository {

    private static final Logger LOG = LoggerFactory.getLogger(SnsClients.class);
    private static final String BEAN_PREFIX = "sns-client-";
    /** Room in Camel's endpoint caches for the endpoints that are not SNS clients' own. */
    private static final int OTHER_ENDPOINTS = 200;
    /** Stateless; shared by every client. */
    private static final FormEncodingInterceptor FORM_BODY = new FormEncodingInterceptor();
    private static final Pattern CLIENT_REF =
            Pattern.compile("(?:#|%23)(" + BEAN_PREFIX + "[A-Za-z0-9_-]+)");

    private final CamelContext camel;
    private final SnsClientOptions options;
    private final SdkHttpClient http;
    private final Map<String, Entry> byApp = new ConcurrentHashMap<>();
    /** What a client was built with and must be closed with it: a role's own STS client. */
    private final Map<SnsClient, AutoCloseable> companions = new ConcurrentHashMap<>();
    /** The clients by registry name, looked up by aws2-sns endpoints; safe for any thread. */
    private final Map<String, SnsClient> beans = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final Function<AppSettings, SnsClient> factory;
    private final ScheduledExecutorService evictor;
    private final boolean ownRepository;
    private volatile AwsCredentialsProvider relayIdentity;
    /** The cap's first use is logged once; after that it is the normal way of things. */
    private volatile boolean capLogged;
    private final AtomicLong closedForCap = new AtomicLong();

    public SnsClients(CamelContext camel, SnsClientOptions options) {
        this(camel, options, null);
    }

    /**
     * @param factory builds a client for settings; null for the real AWS SDK client. Route
     *                tests pass a recording fake here.
     */
    public SnsClients(CamelContext camel, SnsClientOptions options,
            Function<AppSettings, SnsClient> factory) {
        this.camel = camel;
        this.options = options;
        this.factory = factory != null ? factory : this::build;
        sizeEndpointCaches(camel, options.maxClients());
        // The clients are served from this repository rather than bound in Camel's default
        // map, which is not safe for the concurrent binds of several delivery workers. A bare
        // registry without repositories (some test contexts) gets locked binds instead.
        this.ownRepository = camel.getRegistry() instanceof DefaultRegistry registry
                && registry.getRepositories() != null;
        if (ownRepository) {
            ((DefaultRegistry) camel.getRegistry()).addBeanRepository(this);
        }
        if (options.idleTimeout() != null && !options.idleTimeout().isZero()) {
            long every = Math.max(1_000, Math.min(60_000, options.idleTimeout().toMillis() / 2));
            this.evictor = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "sns-client-evictor");
                t.setDaemon(true);
                return t;
            });
            evictor.scheduleWithFixedDelay(this::evictIdle, every, every, TimeUnit.MILLISECONDS);
        } else {
            this.evictor = null;
        }
        // One connection pool for all apps: 10,000 apps must not mean 10,000 pools.
        this.http = ApacheHttpClient.builder()
                .maxConnections(options.maxConnections())
                .connectionTimeout(options.attemptTimeout())
                .socketTimeout(options.attemptTimeout())
                .build();
    }

    /**
     * Each open client has its aws2-sns endpoint and producer, made by the routes' toD. Camel
     * keeps 1,000 of each by default and drops the least recently used past that: a relay
     * serving more apps, which take turns, built an endpoint for every publish. Sized before the
     * context starts, after which Camel no longer reads these options; a larger value an
     * integrator set in {@code camel.main.global-options} stands.
     */
    private static void sizeEndpointCaches(CamelContext camel, int maxClients) {
        int wanted = maxClients + OTHER_ENDPOINTS;
        for (String option : List.of(Exchange.MAXIMUM_ENDPOINT_CACHE_SIZE,
                Exchange.MAXIMUM_CACHE_POOL_SIZE)) {
            String set = camel.getGlobalOptions().get(option);
            if (set == null || parsedOrZero(set) < wanted) {
                camel.getGlobalOptions().put(option, String.valueOf(wanted));
            }
        }
    }

    private static int parsedOrZero(String number) {
        try {
            return Integer.parseInt(number.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The registry name of the client for these settings, creating it if they changed. */
    public String beanFor(AppSettings settings) {
        String fingerprint = fingerprint(settings);
        Entry current = byApp.get(settings.appId());
        if (current != null && current.fingerprint.equals(fingerprint)) {
            current.lastUsed = System.nanoTime();
            return current.beanName;
        }
        String bean = byApp.compute(settings.appId(), (app, old) -> {
            if (old != null && old.fingerprint.equals(fingerprint)) {
                return old;
            }
            Entry fresh = new Entry(fingerprint,
                    BEAN_PREFIX + app + "-" + generation.incrementAndGet(),
                    factory.apply(settings));
            publish(fresh);
            if (old != null) {
                retire(old);
                LOG.info("SNS connection settings of app {} changed; new client in use", app);
            }
            return fresh;
        }).beanName;
        if (byApp.size() > options.maxClients()) {
            evictLeastRecentlyUsed(settings.appId());
        }
        sweepEndpoints();
        return bean;
    }

    /**
     * Closes the clients that have waited longest since their last event until no more than
     * the cap are open; never the one just made for {@code keep}. A closed client's app simply
     * gets a new one with its next event.
     */
    private synchronized void evictLeastRecentlyUsed(String keep) {
        if (byApp.size() <= options.maxClients()) {
            return;
        }
        // Down to nine tenths of the cap: one sort then serves the next tenth of new clients.
        int excess = byApp.size() - options.maxClients() * 9 / 10;
        List<Map.Entry<String, Entry>> oldest = byApp.entrySet().stream()
                .filter(e -> !e.getKey().equals(keep))
                .sorted(Comparator.comparingLong(e -> e.getValue().lastUsed))
                .limit(excess)
                .toList();
        for (Map.Entry<String, Entry> e : oldest) {
            if (byApp.remove(e.getKey(), e.getValue())) {
                retire(e.getValue());
                closedForCap.incrementAndGet();
            }
        }
        if (!capLogged) {
            capLogged = true;
            LOG.info("More apps are sending than relay.sns.max-clients ({}): the SNS clients of"
                    + " the apps that sent least recently are closed and made again when"
                    + " needed", options.maxClients());
        }
    }

    /** Closes the app's client, e.g. when the app is deleted. */
    public void forget(String appId) {
        Entry old = byApp.remove(appId);
        if (old != null) {
            retire(old);
        }
        sweepEndpoints();
    }

    /** How many clients are open: one per app that has published since its last change. */
    public int liveClients() {
        return byApp.size();
    }

    /**
     * A client for one check of settings (saved or not), answering within {@code timeout} even
     * when the endpoint never does: one attempt, no retries. Closing the check closes what the
     * client was built with.
     */
    public CheckClient forCheck(AppSettings settings, Duration timeout) {
        return new CheckClient(build(settings, timeout, timeout, 1));
    }

    /** A client made for one check_sns call. */
    public final class CheckClient implements AutoCloseable {
        private final SnsClient sns;

        private CheckClient(SnsClient sns) {
            this.sns = sns;
        }

        public SnsClient sns() {
            return sns;
        }

        @Override
        public void close() {
            closeWithCompanion(sns);
        }
    }

    /** How many clients the cap has closed since start: a steady rise means it is too low. */
    public long closedForCap() {
        return closedForCap.get();
    }

    @Override
    public void close() {
        if (evictor != null) {
            evictor.shutdownNow();
        }
        byApp.values().forEach(this::retire);
        byApp.clear();
        http.close();
        if (relayIdentity instanceof AutoCloseable c) {
            closeQuietly(c);
        }
    }

    private SnsClient build(AppSettings s) {
        return build(s, options.apiCallTimeout(), options.attemptTimeout(),
                options.sdkMaxAttempts());
    }

    private SnsClient build(AppSettings s, Duration callTimeout, Duration attemptTimeout,
            int attempts) {
        StsClient sts = s.authType() == AuthType.ROLE ? stsClient(s) : null;
        SnsClientBuilder b = SnsClient.builder()
                .httpClient(http)
                .region(Region.of(s.topicArn().region()))
                .credentialsProvider(credentials(s, sts))
                .overrideConfiguration(c -> c
                        .addExecutionInterceptor(FORM_BODY)
                        .apiCallTimeout(callTimeout)
                        .apiCallAttemptTimeout(attemptTimeout)
                        .retryStrategy(r -> r.maxAttempts(attempts)));
        String endpoint = s.endpoint() != null ? s.endpoint() : options.defaultEndpoint();
        if (endpoint != null && !endpoint.isBlank()) {
            b.endpointOverride(URI.create(endpoint));
        }
        SnsClient client = b.build();
        if (sts != null) {
            companions.put(client, sts);
        }
        return client;
    }

    private AwsCredentialsProvider credentials(AppSettings s, StsClient sts) {
        return switch (s.authType()) {
            case KEYS -> StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(s.accessKey(), s.secretKey()));
            case RESOURCE -> sharedRelayIdentity();
            case ROLE -> assumeRole(s, sts);
        };
    }

    /**
     * The relay's own identity as every client may hold it: a view that cannot be closed, so
     * that closing one app's client (the SDK closes the provider it was given) leaves the
     * identity working for all the others.
     */
    private AwsCredentialsProvider sharedRelayIdentity() {
        AwsCredentialsProvider identity = relayIdentity();
        return identity::resolveCredentials;
    }

    private AwsCredentialsProvider relayIdentity() {
        if (relayIdentity == null) {
            synchronized (this) {
                if (relayIdentity == null) {
                    relayIdentity = DefaultCredentialsProvider.builder().build();
                }
            }
        }
        return relayIdentity;
    }

    private StsClient stsClient(AppSettings s) {
        StsClientBuilder sts = StsClient.builder()
                .httpClient(http)
                .region(Region.of(s.topicArn().region()))
                .credentialsProvider(sharedRelayIdentity());
        if (options.stsEndpoint() != null && !options.stsEndpoint().isBlank()) {
            sts.endpointOverride(URI.create(options.stsEndpoint()));
        }
        return sts.build();
    }

    private AwsCredentialsProvider assumeRole(AppSettings s, StsClient sts) {
        // The provider refreshes the session before it expires, in the background.
        return StsAssumeRoleCredentialsProvider.builder()
                .stsClient(sts)
                .asyncCredentialUpdateEnabled(true)
                .refreshRequest(r -> r.roleArn(s.roleArn())
                        .roleSessionName("sns-relay-" + s.appId())
                        .externalId(s.appId()))
                .build();
    }

    private void retire(Entry old) {
        beans.remove(old.beanName);
        if (!ownRepository) {
            synchronized (beans) {
                camel.getRegistry().unbind(old.beanName);
            }
        }
        for (Endpoint e : camel.getEndpoints()) {
            if (e.getEndpointUri().contains("#" + old.beanName)
                    || e.getEndpointUri().contains("%23" + old.beanName)) {
                closeQuietly(() -> camel.removeEndpoint(e));
            }
        }
        closeWithCompanion(old.client);
    }

    private void closeWithCompanion(SnsClient client) {
        closeQuietly(client);
        AutoCloseable companion = companions.remove(client);
        if (companion != null) {
            closeQuietly(companion);
        }
    }

    /**
     * Removes aws2-sns endpoints whose client is no longer live. An event that picked up a client
     * just before its app changed can create the endpoint after {@link #retire} ran; such an
     * endpoint is swept here on the next change or new client.
     */
    private void sweepEndpoints() {
        // Endpoints first: an endpoint can only exist once its client is in byApp, so reading
        // the live clients second never mistakes a brand-new client's endpoint for a stale one.
        List<Endpoint> endpoints = List.copyOf(camel.getEndpoints());
        Set<String> live = new HashSet<>();
        byApp.values().forEach(e -> live.add(e.beanName));
        for (Endpoint e : endpoints) {
            Matcher m = CLIENT_REF.matcher(e.getEndpointUri());
            if (e.getEndpointUri().startsWith("aws2-sns:") && m.find()
                    && !live.contains(m.group(1))) {
                closeQuietly(() -> camel.removeEndpoint(e));
            }
        }
    }

    private void publish(Entry fresh) {
        beans.put(fresh.beanName, fresh.client);
        if (!ownRepository) {
            synchronized (beans) {
                camel.getRegistry().bind(fresh.beanName, SnsClient.class, fresh.client);
            }
        }
    }

    @Override
    public Object lookupByName(String name) {
        return beans.get(name);
    }

    @Override
    public <T> T lookupByNameAndType(String name, Class<T> type) {
        Object bean = beans.get(name);
        return type.isInstance(bean) ? type.cast(bean) : null;
    }

    @Override
    public <T> Map<String, T> findByTypeWithName(Class<T> type) {
        Map<String, T> found = new HashMap<>();
        beans.forEach((name, bean) -> {
            if (type.isInstance(bean)) {
                found.put(name, type.cast(bean));
            }
        });
        return found;
    }

    @Override
    public <T> Set<T> findByType(Class<T> type) {
        return new HashSet<>(findByTypeWithName(type).values());
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("Closing a superseded SNS client failed", e);
        }
    }

    /** A digest of what the client is built from; the secret goes in, but never comes out. */
    private static String fingerprint(AppSettings s) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (String part : new String[] {s.topicArn().region(), s.authType().wireName(),
                    s.accessKey(), s.secretKey(), s.roleArn(), s.endpoint()}) {
                d.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
                d.update((byte) 0);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Entry {
        final String fingerprint;
        final String beanName;
        final SnsClient client;
        volatile long lastUsed = System.nanoTime();

        Entry(String fingerprint, String beanName, SnsClient client) {
            this.fingerprint = fingerprint;
            this.beanName = beanName;
            this.client = client;
        }
    }

    /** Closes the clients of apps that sent nothing for the idle timeout. */
    void evictIdle() {
        long limit = options.idleTimeout().toNanos();
        long now = System.nanoTime();
        int evicted = 0;
        for (Map.Entry<String, Entry> e : byApp.entrySet()) {
            if (now - e.getValue().lastUsed > limit && byApp.remove(e.getKey(), e.getValue())) {
                retire(e.getValue());
                evicted++;
            }
        }
        if (evicted > 0) {
            sweepEndpoints();
            LOG.debug("Closed {} idle SNS client(s)", evicted);
        }
    }
}
