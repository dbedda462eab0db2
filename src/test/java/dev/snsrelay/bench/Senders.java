package dev.snsrelay.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The sending threads of one load phase: {@code count} threads each running {@code body} until
 * the plan is done, joined by the phase's deadline plus a grace period for the last sends.
 */
final class Senders {

    private Senders() {
    }

    /**
     * Runs the senders and waits for them. One still busy after the grace period is counted as
     * a failure and left behind: the threads are daemons, so it cannot keep the benchmark from
     * exiting.
     */
    static void run(int count, String name, long deadlineNanos, long graceMillis,
            LoadCounters counters, Runnable body) throws InterruptedException {
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            Thread sender = new Thread(body, name + "-" + t);
            sender.setDaemon(true);
            sender.start();
            senders.add(sender);
        }
        for (Thread sender : senders) {
            sender.join(TimeUnit.NANOSECONDS.toMillis(
                    Math.max(0, deadlineNanos - System.nanoTime())) + graceMillis);
            if (sender.isAlive()) {
                counters.failed(sender.getName() + " was still sending after the deadline and "
                        + graceMillis + " ms");
                sender.interrupt();
            }
        }
    }
}
