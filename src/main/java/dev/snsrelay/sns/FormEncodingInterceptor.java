package dev.snsrelay.sns;

import java.io.ByteArrayInputStream;
import java.util.Optional;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Turns an SNS request's parameters into its form body with {@link FormBody} before the SDK
 * would do the same with its slower encoder. The bytes, Content-Type and Content-Length are the
 * ones the SDK would send, and the request is signed after this, as it always is.
 */
final class FormEncodingInterceptor implements ExecutionInterceptor {

    static final String CONTENT_TYPE = "application/x-www-form-urlencoded; charset=utf-8";
    private static final ExecutionAttribute<byte[]> BODY =
            new ExecutionAttribute<>("sns-relay.form-body");

    // The SDK asks each interceptor for the body first and for the request second, so the body
    // is made here from the parameters, and the request then loses them.
    @Override
    public Optional<RequestBody> modifyHttpContent(Context.ModifyHttpRequest context,
            ExecutionAttributes attributes) {
        SdkHttpRequest request = context.httpRequest();
        if (request.method() != SdkHttpMethod.POST || context.requestBody().isPresent()
                || request.numRawQueryParameters() == 0) {
            return context.requestBody();
        }
        byte[] body = FormBody.encode(request.rawQueryParameters());
        attributes.putAttribute(BODY, body);
        return Optional.of(RequestBody.fromContentProvider(() -> new ByteArrayInputStream(body),
                body.length, CONTENT_TYPE));
    }

    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context,
            ExecutionAttributes attributes) {
        byte[] body = attributes.getAttribute(BODY);
        if (body == null) {
            return context.httpRequest();
        }
        return context.httpRequest().toBuilder()
                .clearQueryParameters()
                .putHeader("Content-Length", String.valueOf(body.length))
                .putHeader("Content-Type", CONTENT_TYPE)
                .build();
    }
}
