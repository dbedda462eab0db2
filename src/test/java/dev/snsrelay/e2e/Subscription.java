package dev.snsrelay.e2e;

import java.util.ArrayList;
import java.util.List;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;

/** A topic and the SQS queue subscribed to it; reads messages as a consumer would. */
public final class Subscription {

    private final String topicArn;
    private final String queueUrl;
    private final SqsClient sqs;
    private final List<Message> received = new ArrayList<>();

    Subscription(String topicArn, String queueUrl, SqsClient sqs) {
        this.topicArn = topicArn;
        this.queueUrl = queueUrl;
        this.sqs = sqs;
    }

    public String topicArn() {
        return topicArn;
    }

    /** Receives (and deletes) what is waiting; returns everything received so far. */
    public synchronized List<Message> drain() {
        while (true) {
            ReceiveMessageResponse r = sqs.receiveMessage(b -> b.queueUrl(queueUrl)
                    .maxNumberOfMessages(10).messageAttributeNames("All").waitTimeSeconds(0));
            if (r.messages().isEmpty()) {
                return List.copyOf(received);
            }
            for (Message m : r.messages()) {
                received.add(m);
                sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            }
        }
    }

    public List<String> bodies() {
        return drain().stream().map(Message::body).toList();
    }
}
