package io.mmipc.examples;

import io.mmipc.codec.Codecs;
import io.mmipc.queue.QueueShutdownException;
import io.mmipc.queue.SharedQueue;

/** The echo side of the demo's ping-pong: takes from {@code <run>-ping}, puts back on {@code <run>-pong}. */
public final class EchoWorker {
    private EchoWorker() {
    }

    /**
     * @param args the demo run's name prefix
     * @throws Exception if the queues cannot be opened
     */
    public static void main(String[] args) throws Exception {
        try (SharedQueue<byte[]> ping = SharedQueue.open(args[0] + "-ping", Codecs.bytes());
             SharedQueue<byte[]> pong = SharedQueue.open(args[0] + "-pong", Codecs.bytes())) {
            while (true) {
                try {
                    pong.put(ping.get());
                } catch (QueueShutdownException e) {
                    return;
                }
            }
        }
    }
}
