#!/usr/bin/env python3
"""Python's multiprocessing Manager().dict() from two processes: get / put / merge operations per second.

The baseline of the shared-map benchmark (io.mmipc.bench.collection.MapComparison runs it in the same run as
mmipc's SharedMap and Chronicle Map). Two worker processes hammer one dict for --seconds each op:

  get    v = d['hot']                                   one proxy round trip
  put    d['k%d' % (i % 1000)] = i                       one proxy round trip
  merge  with lock: d['counter'] = d.get('counter', 0) + 1
         the atomic equivalent of SharedMap.merge(k, 1, Long::sum) (a Manager().Lock() proxy; a bare
         d['counter'] += 1 from two processes loses updates)

Prints one JSON object: {"op": ops_per_second_of_both_processes, ..., "merge_final_ok": true}.
"""
import argparse
import json
import multiprocessing as mp
import time


def worker(op, d, lock, seconds, barrier, results, index):
    barrier.wait()
    n = 0
    deadline = time.perf_counter() + seconds
    if op == "get":
        while time.perf_counter() < deadline:
            for _ in range(16):
                d['hot']
            n += 16
    elif op == "put":
        while time.perf_counter() < deadline:
            for _ in range(16):
                d['k%d' % ((n + index * 500) % 1000)] = n
                n += 1
    else:
        while time.perf_counter() < deadline:
            for _ in range(16):
                with lock:
                    d['counter'] = d.get('counter', 0) + 1
                n += 1
    results.put(n)


def run(op, seconds):
    with mp.Manager() as manager:
        d = manager.dict()
        lock = manager.Lock()
        d['hot'] = 1
        barrier = mp.Barrier(2)
        results = mp.Queue()
        procs = [mp.Process(target=worker, args=(op, d, lock, seconds, barrier, results, i)) for i in range(2)]
        for p in procs:
            p.start()
        total = results.get() + results.get()
        for p in procs:
            p.join()
        ok = op != "merge" or d.get('counter', 0) == total
        return total / seconds, ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=2.0)
    ap.add_argument("--ops", default="get,put,merge")
    args = ap.parse_args()
    out = {}
    for op in args.ops.split(","):
        rate, ok = run(op, args.seconds)
        out[op] = rate
        if op == "merge":
            out["merge_final_ok"] = ok
    print(json.dumps(out))


if __name__ == "__main__":
    main()
