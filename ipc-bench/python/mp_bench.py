#!/usr/bin/env python3
"""Python's own multiprocessing.Queue and Pipe, measured like ipc-bench's JMH benchmarks.

Two real processes. Round trip: the parent sends one message of N bytes, the child sends it back;
median, p99 and p99.9 in microseconds over every round trip of the interval. One-way throughput: the
parent sends batches of about 4 MiB (at most 1000 messages), the last message of each asking for an
acknowledgement with the count the child received, so a batch is timed until all of it has arrived
(the same protocol as ipc-bench's Java peers: first byte ECHO=1, SINK=2, ACK=3, STOP=4).

    mp_bench.py [--sizes 8,64,1024,65536,1048576] [--seconds 2] [--warmup 0.5] [--out result.json]

Also one-way throughput of one Queue shared by 2 producer and 2 consumer processes (python-queue-2x2).

Queue moves bytes objects with put/get (pickled by the queue's feeder thread); Pipe moves them with
send_bytes/recv_bytes (no pickling), on one duplex Connection pair. Prints one line per measurement and
writes JSON.
"""

import argparse
import json
import multiprocessing as mp
import platform
import statistics
import struct
import sys
import time

ECHO, SINK, ACK, STOP = 1, 2, 3, 4
BATCH_BYTES = 4 << 20
MAX_BATCH = 1000


def batch_for(size):
    return max(1, min(MAX_BATCH, BATCH_BYTES // size))


def message(size, op):
    body = bytes((i * 31 + 7) & 0xFF for i in range(min(size, 256)))
    body = (body * (size // len(body) + 1))[:size]
    return bytes([op]) + body[1:]


# ----------------------------------------------------------------------------------------- the peers

def serve(recv, send):
    """Answers messages as the Java peer does, until STOP."""
    count = 0
    while True:
        m = recv()
        op = m[0]
        if op == ECHO:
            send(m)
        elif op == SINK:
            count += 1
        elif op == ACK:
            send(struct.pack("<q", count + 1))
            count = 0
        elif op == STOP:
            return
        else:
            raise ValueError("unknown op %d" % op)


def queue_peer(to_peer, to_client):
    serve(to_peer.get, to_client.put)


def pipe_peer(conn):
    serve(conn.recv_bytes, conn.send_bytes)


class QueueChannel:
    name = "python-queue"

    def __init__(self, ctx):
        self.to_peer = ctx.Queue()
        self.to_client = ctx.Queue()
        self.proc = ctx.Process(target=queue_peer, args=(self.to_peer, self.to_client), daemon=True)
        self.proc.start()
        self.send = self.to_peer.put
        self.recv = self.to_client.get

    def close(self):
        self.send(bytes([STOP]) + bytes(7))
        self.proc.join(10)
        if self.proc.is_alive():
            self.proc.kill()
        for q in (self.to_peer, self.to_client):
            q.close()
            q.join_thread()


class PipeChannel:
    name = "python-pipe"

    def __init__(self, ctx):
        mine, theirs = ctx.Pipe(duplex=True)
        self.conn = mine
        self.proc = ctx.Process(target=pipe_peer, args=(theirs,), daemon=True)
        self.proc.start()
        theirs.close()
        self.send = mine.send_bytes
        self.recv = mine.recv_bytes

    def close(self):
        self.send(bytes([STOP]) + bytes(7))
        self.proc.join(10)
        if self.proc.is_alive():
            self.proc.kill()
        self.conn.close()


def fan_producer(ctl, data, size):
    m = message(size, SINK)
    while True:
        n = ctl.get()
        if n <= 0:
            return
        for _ in range(n):
            data.put(m)


def fan_consumer(data, counts, index):
    count = 0
    while True:
        m = data.get()
        if m[0] == STOP:
            return
        count += 1
        counts[index] = count


def fan_throughput(ctx, size, seconds, warmup, producers=2, consumers=2):
    """One Queue shared by 2 producer and 2 consumer processes, as ipc-bench's ThroughputQueue2x2Benchmark:
    a round has each producer put a share of about ten batches and ends when the consumers' counters (in
    shared memory) show every message taken."""
    data, ctl = ctx.Queue(), ctx.Queue()
    counts = ctx.Array("q", consumers, lock=False)
    procs = [ctx.Process(target=fan_consumer, args=(data, counts, i), daemon=True) for i in range(consumers)]
    procs += [ctx.Process(target=fan_producer, args=(ctl, data, size), daemon=True) for _ in range(producers)]
    for p in procs:
        p.start()
    per_producer = 10 * batch_for(size) // producers
    expected = 0

    def run_round():
        nonlocal expected
        expected += per_producer * producers
        for _ in range(producers):
            ctl.put(per_producer)
        while sum(counts) < expected:
            time.sleep(0.00002)

    try:
        end = time.monotonic() + warmup
        run_round()
        while time.monotonic() < end:
            run_round()
        rounds = 0
        t0 = time.perf_counter()
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            run_round()
            rounds += 1
        elapsed = time.perf_counter() - t0
    finally:
        for _ in range(producers):
            ctl.put(0)
        for _ in range(consumers):
            data.put(bytes([STOP]) + bytes(7))
        for p in procs:
            p.join(10)
            if p.is_alive():
                p.kill()
    msgs = rounds * per_producer * producers / elapsed
    return {"messages_per_s": msgs, "mb_per_s": msgs * size / 1e6, "batch": per_producer * producers}


# ------------------------------------------------------------------------------------- the measures

def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, int(round(p / 100.0 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def round_trip(ch, size, seconds, warmup):
    m = message(size, ECHO)
    send, recv, clock = ch.send, ch.recv, time.perf_counter_ns
    end = time.monotonic() + warmup
    while time.monotonic() < end:
        send(m)
        recv()
    samples = []
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        t0 = clock()
        send(m)
        r = recv()
        samples.append(clock() - t0)
        if len(r) != size:
            raise RuntimeError("echo length %d != %d" % (len(r), size))
    samples.sort()
    return {
        "samples": len(samples),
        "median": statistics.median(samples) / 1000.0,
        "p99": percentile(samples, 99.0) / 1000.0,
        "p999": percentile(samples, 99.9) / 1000.0,
        "mean": statistics.fmean(samples) / 1000.0,
    }


def one_way(ch, size, seconds, warmup):
    n = batch_for(size)
    sink, ack = message(size, SINK), message(size, ACK)
    send, recv = ch.send, ch.recv

    def batch():
        for _ in range(n - 1):
            send(sink)
        send(ack)
        counted = struct.unpack("<q", recv()[:8])[0]
        if counted != n:
            raise RuntimeError("peer counted %d of %d" % (counted, n))

    end = time.monotonic() + warmup
    while time.monotonic() < end:
        batch()
    batches = 0
    t0 = time.perf_counter()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        batch()
        batches += 1
    elapsed = time.perf_counter() - t0
    msgs = batches * n / elapsed
    return {"messages_per_s": msgs, "mb_per_s": msgs * size / 1e6, "batch": n}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="8,64,1024,65536,1048576")
    ap.add_argument("--seconds", type=float, default=2.0, help="measured time per size and measure")
    ap.add_argument("--warmup", type=float, default=0.5)
    ap.add_argument("--out", help="JSON file to write (default: standard output only)")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]
    if any(s < 8 for s in sizes):
        ap.error("sizes must be at least 8 bytes")
    ctx = mp.get_context()
    results = []
    for cls in (QueueChannel, PipeChannel):
        for size in sizes:
            ch = cls(ctx)
            try:
                rtt = round_trip(ch, size, args.seconds, args.warmup)
                tput = one_way(ch, size, args.seconds, args.warmup)
            finally:
                ch.close()
            print("%-13s %8d B  rtt median %9.1f us  p99 %9.1f us  p99.9 %9.1f us  %12.0f msgs/s  %9.1f MB/s"
                  % (cls.name, size, rtt["median"], rtt["p99"], rtt["p999"], tput["messages_per_s"],
                     tput["mb_per_s"]), flush=True)
            results.append({"transport": cls.name, "size": size, "rtt_us": rtt, "throughput": tput})
    for size in sizes:
        tput = fan_throughput(ctx, size, args.seconds, args.warmup)
        print("%-17s %8d B  %12.0f msgs/s  %9.1f MB/s" % ("python-queue-2x2", size, tput["messages_per_s"],
                                                           tput["mb_per_s"]), flush=True)
        results.append({"transport": "python-queue-2x2", "size": size, "throughput": tput})
    doc = {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "start_method": ctx.get_start_method(),
        "seconds": args.seconds,
        "results": results,
    }
    text = json.dumps(doc, indent=2)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
