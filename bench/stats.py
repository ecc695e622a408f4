#!/usr/bin/env python3
"""Helpers for bench/run.sh: parse wrk output and merge hey CSV latencies."""
import csv
import re
import sys


def wrk(path):
    text = open(path).read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    total = int(re.search(r"(\d+) requests in", text).group(1))
    pct = {}
    for p, value, unit in re.findall(r"^\s+(50|75|90|99)%\s+([\d.]+)(us|ms|s)\s*$", text, re.M):
        pct[p] = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    return {"rps": rps, "non2xx": int(non2xx.group(1)) if non2xx else 0, "requests": total,
            "p50": pct.get("50"), "p90": pct.get("90"), "p99": pct.get("99")}


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = max(0, min(len(sorted_values) - 1, int(round(p / 100 * len(sorted_values) + 0.5)) - 1))
    return sorted_values[k]


def hey(paths):
    latencies, errors, total = [], 0, 0
    for path in paths:
        with open(path) as f:
            for row in csv.DictReader(f):
                total += 1
                if row.get("status-code") != "200":
                    errors += 1
                latencies.append(float(row["response-time"]) * 1000)
    latencies.sort()
    return {"requests": total, "non2xx": errors, "p50": percentile(latencies, 50),
            "p90": percentile(latencies, 90), "p99": percentile(latencies, 99)}


def times(paths):
    """curl -w '%{http_code} %{time_total}' lines: status and seconds."""
    latencies, errors = [], 0
    for path in paths:
        for line in open(path):
            code, seconds = line.split()
            if code != "200":
                errors += 1
            latencies.append(float(seconds) * 1000)
    latencies.sort()
    return {"requests": len(latencies), "non2xx": errors, "p50": percentile(latencies, 50),
            "p90": percentile(latencies, 90), "p99": percentile(latencies, 99)}


if __name__ == "__main__":
    kind, args = sys.argv[1], sys.argv[2:]
    result = {"wrk": lambda: wrk(args[0]), "hey": lambda: hey(args), "curl": lambda: times(args)}[kind]()
    print(" ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items()))
