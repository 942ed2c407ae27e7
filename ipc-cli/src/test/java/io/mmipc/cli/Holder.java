package io.mmipc.cli;

import io.mmipc.codec.Codecs;
import io.mmipc.pipe.SharedPipe;
import io.mmipc.queue.SharedJoinableQueue;
import io.mmipc.queue.SharedQueue;
import io.mmipc.sync.SharedBarrier;
import io.mmipc.sync.SharedEvent;
import io.mmipc.sync.SharedLock;
import io.mmipc.sync.SharedSemaphore;
import io.mmipc.value.SharedLong;

import java.time.Duration;

/**
 * A child JVM that creates one object of each kind in {@code mmipc.dir}, puts each in a known state, says
 * {@code ready} and keeps them open until it is killed:
 * <ul>
 *   <li>{@code jobs}: joinable queue, 3 put, 1 taken (depth 2, 3 unfinished);</li>
 *   <li>{@code idle}: queue, empty, one thread blocked in {@code get} (a waiter-table entry);</li>
 *   <li>{@code stream}: queue with one message put and taken every 5 ms (for watch's rates);</li>
 *   <li>{@code big}: queue holding one message too large for its ring (in a spill file);</li>
 *   <li>{@code chat}: duplex pipe, one message sent from the first end;</li>
 *   <li>{@code guard}: lock, held; {@code slots}: semaphore of 3, one acquired; {@code meet}: barrier of
 *       3 parties; {@code go}: event, set; {@code counter}: long value 42.</li>
 * </ul>
 */
public final class Holder {
    private Holder() {
    }

    /**
     * @param args none
     * @throws Exception on failure (the test then times out waiting for {@code ready})
     */
    public static void main(String[] args) throws Exception {
        SharedJoinableQueue<String> jobs = SharedJoinableQueue.builder("jobs", Codecs.string()).capacity(64 << 10)
                .create();
        jobs.put("a");
        jobs.put("b");
        jobs.put("c");
        jobs.get();
        SharedQueue<String> idle = SharedQueue.builder("idle", Codecs.string()).capacity(4096).create();
        Thread waiter = new Thread(() -> {
            try {
                idle.get();
            } catch (InterruptedException | RuntimeException e) {
                // killed with the process
            }
        }, "idle-get");
        waiter.setDaemon(true);
        waiter.start();
        SharedQueue<String> stream = SharedQueue.builder("stream", Codecs.string()).capacity(4096).create();
        Thread streamer = new Thread(() -> {
            try {
                while (true) {
                    stream.put("tick");
                    stream.get();
                    Thread.sleep(5);
                }
            } catch (InterruptedException | RuntimeException e) {
                // killed with the process
            }
        }, "streamer");
        streamer.setDaemon(true);
        streamer.start();
        SharedQueue<String> big = SharedQueue.builder("big", Codecs.string()).capacity(4096).create();
        big.put("x".repeat(20_000));
        SharedPipe<String> chat = SharedPipe.builder("chat", Codecs.string()).capacity(4096).create();
        chat.first().send("hello");
        SharedLock guard = SharedLock.create("guard");
        guard.acquire();
        SharedSemaphore slots = SharedSemaphore.builder("slots").value(3).create();
        slots.acquire();
        SharedBarrier.create("meet", 3);
        SharedEvent.create("go").set();
        SharedLong.create("counter", 42);
        System.out.println("ready");
        System.out.flush();
        Thread.sleep(Duration.ofMinutes(10).toMillis());
    }
}
