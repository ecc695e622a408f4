#!/usr/bin/env python3
"""Load for bench/attack.sh: warm clients at a fixed rate, optionally an attack beside them, and new clients
arriving in the middle. Prints one JSON object with what it measured.

  attack.py URL CLIENTS_FILE NEW_CLIENTS_FILE SERVER_PID SECONDS WARM_RATE ATTACK_RATE

CLIENTS_FILE and NEW_CLIENTS_FILE hold "client_id secret" lines. The attack sends ATTACK_RATE wrong-secret
requests per second from 20 source addresses (X-Forwarded-For, which the server trusts from 127.0.0.1): half of
the sources guess secrets of the warm clients, half present unknown client ids. The new clients each ask for one
token at SECONDS / 2. RSS of SERVER_PID is sampled every second.
"""
import base64
import http.client
import json
import sys
import threading
import time
import urllib.parse
import uuid

url, clients_file, new_clients_file, server_pid = sys.argv[1:5]
seconds, warm_rate, attack_rate = float(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7])
target = urllib.parse.urlparse(url)
BODY = "grant_type=client_credentials"


def read_clients(path):
    with open(path) as lines:
        return [tuple(line.split()) for line in lines if line.strip()]


def basic(client_id, secret):
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


class Counter:
    def __init__(self):
        self.lock = threading.Lock()
        self.statuses = {}
        self.latencies = []

    def add(self, status, latency):
        with self.lock:
            self.statuses[status] = self.statuses.get(status, 0) + 1
            self.latencies.append(latency)


def post(connection, headers):
    started = time.perf_counter()
    try:
        connection.request("POST", "/oauth2/token", BODY, headers)
        response = connection.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    except (OSError, http.client.HTTPException):
        connection.close()
        return 0, time.perf_counter() - started


def paced(rate, deadline, send):
    """Calls send() rate times per second until deadline, on this thread."""
    interval = 1.0 / rate
    next_at = time.perf_counter()
    while True:
        now = time.perf_counter()
        if now >= deadline:
            return
        if now < next_at:
            time.sleep(next_at - now)
        send()
        next_at += interval


def warm_worker(clients, rate, deadline, counter, offset):
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
    index = [offset]

    def send():
        client_id, secret = clients[index[0] % len(clients)]
        index[0] += 1
        status, latency = post(connection, {"Content-Type": "application/x-www-form-urlencoded",
                                             "Authorization": basic(client_id, secret)})
        counter.add(status, latency)
    paced(rate, deadline, send)


def attack_worker(source, clients, rate, deadline, counter, known):
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
    index = [0]

    def send():
        index[0] += 1
        client_id = clients[index[0] % len(clients)][0] if known else f"unknown-{uuid.uuid4()}"
        status, latency = post(connection, {"Content-Type": "application/x-www-form-urlencoded",
                                             "Authorization": basic(client_id, f"guess-{index[0]}"),
                                             "X-Forwarded-For": source})
        counter.add(status, latency)
    paced(rate, deadline, send)


def newcomer(client_id, secret, at, results, source):
    time.sleep(max(0.0, at - time.perf_counter()))
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=10)
    status, latency = post(connection, {"Content-Type": "application/x-www-form-urlencoded",
                                         "Authorization": basic(client_id, secret),
                                         "X-Forwarded-For": source})
    results.append((status, latency))


def rss_mb():
    with open(f"/proc/{server_pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    return 0


clients = read_clients(clients_file)
new_clients = read_clients(new_clients_file)
start = time.perf_counter()
deadline = start + seconds
warm, attack, arrivals, rss = Counter(), Counter(), [], []
threads = []
warm_threads = 8
for i in range(warm_threads):
    threads.append(threading.Thread(target=warm_worker,
                                    args=(clients, warm_rate / warm_threads, deadline, warm, i * len(clients) // warm_threads)))
if attack_rate > 0:
    # Several connections per source, so that slow answers do not lower the offered rate (an attacker does not wait).
    per_source = 16
    for source in range(20):
        for connection in range(per_source):
            threads.append(threading.Thread(target=attack_worker, args=(
                f"203.0.113.{source + 1}", clients, attack_rate / 20 / per_source, deadline, attack, source < 10)))
for number, (client_id, secret) in enumerate(new_clients):
    # Each new client is a workload of its own, from an address of its own.
    threads.append(threading.Thread(target=newcomer, args=(client_id, secret, start + seconds / 2, arrivals,
                                                           f"192.0.2.{number + 1}")))
for thread in threads:
    thread.start()
while time.perf_counter() < deadline:
    rss.append(rss_mb())
    time.sleep(1)
warm_threads_list = threads[:warm_threads]
for thread in warm_threads_list:
    thread.join()
# The warm clients' own span: the attack's threads may still be waiting on slow answers after the deadline.
warm_elapsed = time.perf_counter() - start
for thread in threads[warm_threads:]:
    thread.join()
elapsed = time.perf_counter() - start


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000 if ordered else None


print(json.dumps({
    "seconds": round(elapsed, 1),
    "warm_ok_per_s": round(warm.statuses.get(200, 0) / warm_elapsed, 1),
    "warm_statuses": warm.statuses,
    "warm_p50_ms": percentile(warm.latencies, 0.5),
    "warm_p99_ms": percentile(warm.latencies, 0.99),
    "attack_statuses": attack.statuses,
    "attack_per_s": round(sum(attack.statuses.values()) / elapsed, 1),
    "new_clients": len(arrivals),
    "new_clients_ok": sum(1 for status, _ in arrivals if status == 200),
    "new_client_max_ms": round(max((latency for _, latency in arrivals), default=0) * 1000, 1),
    "server_5xx": sum(count for status, count in list(warm.statuses.items()) + list(attack.statuses.items())
                      if status >= 500) + sum(1 for status, _ in arrivals if status >= 500),
    "rss_mb_first_last_max": [round(rss[0]), round(rss[-1]), round(max(rss))] if rss else None,
}))
