"""Python's multiprocessing.Pool, measured the way io.mmipc.bench.pool.PoolBench measures SharedPool.

Usage: python3 pool_bench.py [tasks]   -> one JSON line on stdout.
Start-up uses the 'spawn' start method (a fresh interpreter per worker, as a JVM is fresh per worker).
"""
import json
import multiprocessing as mp
import sys
import time


def inc(x):
    return x + 1


def wait_on(barrier):
    barrier.wait()


def rate(n, run):
    t = time.perf_counter()
    run()
    return n / (time.perf_counter() - t)


def median_rate(n, run, runs):
    return sorted(rate(n, run) for _ in range(runs))[runs // 2]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    ctx = mp.get_context("spawn")
    starts = []
    for _ in range(3):  # median of three, as PoolBench does
        # until both workers are up: each waits on a barrier in its initializer (a map of two items could be
        # done by the first worker alone, while SharedPool sends one to each)
        barrier = ctx.Barrier(3)
        t0 = time.perf_counter()
        with ctx.Pool(2, initializer=wait_on, initargs=(barrier,)) as pool:
            barrier.wait()
            pool.map(inc, [1, 2], chunksize=1)
            starts.append(time.perf_counter() - t0)
    startup = sorted(starts)[1]
    with ctx.Pool(2) as pool:
        for _ in range(200):
            pool.apply(inc, (1,))
        lat = []
        for _ in range(1000):
            t = time.perf_counter()
            pool.apply(inc, (1,))
            lat.append(time.perf_counter() - t)
        lat.sort()
        pool.map(inc, range(n), chunksize=1)  # warm-up, as PoolBench does
        per_item = median_rate(n, lambda: pool.map(inc, range(n), chunksize=1), 3)
        chunked_first = rate(n, lambda: pool.map(inc, range(n)))
        warm_until = time.perf_counter() + 1.0  # as PoolBench: one second of maps before the timed ones
        while time.perf_counter() < warm_until:
            pool.map(inc, range(n))
        chunked = median_rate(n, lambda: pool.map(inc, range(n)), 5)
        time.sleep(0.5)
        rss = [rss_kib(c.pid) for c in ctx.active_children()]
    print(json.dumps({"startup_ms": startup * 1000, "latency_median_us": lat[len(lat) // 2] * 1e6,
                      "latency_p90_us": lat[int(len(lat) * 0.9)] * 1e6, "tasks_per_s_chunk1": per_item,
                      "tasks_per_s_default_chunk_first": chunked_first, "tasks_per_s_default_chunk": chunked, "idle_worker_rss_kib": rss}))


if __name__ == "__main__":
    main()
