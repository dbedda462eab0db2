package dev.snsrelay.sns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sns.model.MessageAttributeValue;
import software.amazon.awssdk.services.sns.model.PublishBatchRequestEntry;
import software.amazon.awssdk.services.sns.model.PublishBatchResponse;

class FormEncodingInterceptorTest {

    /** What reached the server of one request. */
    private record Seen(String contentType, String contentLength, String signedHeaders,
            String body) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    /** Answers the first request with a 503 when set, to see what a retry sends. */
    private volatile boolean failFirst;
    /** What the interceptors after ours saw: parameters left on the request, body present. */
    private final List<String> probed = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            Matcher signed = Pattern.compile("SignedHeaders=([^,]+)").matcher(auth);
            seen.add(new Seen(exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Content-Length"),
                    signed.find() ? signed.group(1) : null,
                    new String(body, StandardCharsets.UTF_8)));
            if (failFirst && seen.size() == 1) {
                exchange.sendResponseHeaders(503, -1);
                exchange.close();
                return;
            }
            byte[] reply = ("<PublishBatchResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                    + "<PublishBatchResult><Successful><member><Id>0</Id><MessageId>m-0</MessageId>"
                    + "</member><member><Id>1</Id><MessageId>m-1</MessageId></member></Successful>"
                    + "<Failed/></PublishBatchResult><ResponseMetadata><RequestId>r</RequestId>"
                    + "</ResponseMetadata></PublishBatchResponse>").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void a_publish_batch_goes_out_as_the_sdk_alone_would_send_it() {
        PublishBatchResponse withInterceptor = publish(true);
        PublishBatchResponse sdkAlone = publish(false);

        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).isEqualTo(seen.get(1));
        assertThat(seen.get(0).body()).startsWith("Action=PublishBatch&Version=2010-03-31&")
                .contains("PublishBatchRequestEntries.member.1.Message=%7B%22type%22%3A");
        assertThat(seen.get(0).contentType()).isEqualTo(FormEncodingInterceptor.CONTENT_TYPE);
        assertThat(seen.get(0).signedHeaders()).contains("content-type");
        assertThat(withInterceptor.successful()).hasSize(2);
        assertThat(withInterceptor.successful()).isEqualTo(sdkAlone.successful());
        // The body was made by the relay's encoder, not left for the SDK to make.
        assertThat(probed).containsExactly("parameters=0 body=true", "parameters=10 body=false");
    }

    @Test
    void a_retried_publish_sends_the_same_body_again() {
        failFirst = true;

        PublishBatchResponse response = publish(true, 2);

        assertThat(response.successful()).hasSize(2);
        assertThat(seen).hasSize(2);
        assertThat(seen.get(1).body()).isEqualTo(seen.get(0).body()).isNotEmpty();
        assertThat(seen.get(1).contentLength()).isEqualTo(seen.get(0).contentLength());
    }

    private PublishBatchResponse publish(boolean interceptor) {
        return publish(interceptor, 1);
    }

    private PublishBatchResponse publish(boolean interceptor, int attempts) {
        try (SnsClient sns = SnsClient.builder()
                .httpClient(ApacheHttpClient.create())
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create("AKIAFORMTEST00000001", "form-test-secret")))
                .overrideConfiguration(c -> {
                    if (interceptor) {
                        c.addExecutionInterceptor(new FormEncodingInterceptor());
                    }
                    c.addExecutionInterceptor(new ExecutionInterceptor() {
                        @Override
                        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest ctx,
                                ExecutionAttributes attributes) {
                            probed.add("parameters=" + ctx.httpRequest().numRawQueryParameters()
                                    + " body=" + ctx.requestBody().isPresent());
                            return ctx.httpRequest();
                        }
                    });
                    c.retryStrategy(r -> r.maxAttempts(attempts));
                })
                .build()) {
            Map<String, MessageAttributeValue> type = Map.of("event_type", MessageAttributeValue
                    .builder().dataType("String").stringValue("message.new").build());
            return sns.publishBatch(b -> b.topicArn("arn:aws:sns:us-east-1:123456789012:chat")
                    .publishBatchRequestEntries(
                            PublishBatchRequestEntry.builder().id("0").messageAttributes(type)
                                    .message("{\"type\":\"message.new\",\"text\":\"h\u00e9 \ud83d\ude00\"}")
                                    .build(),
                            PublishBatchRequestEntry.builder().id("1")
                                    .message("{\"type\":\"reaction.new\",\"n\":[1,2.50,-3e4]}")
                                    .build()));
        }
    }
}
