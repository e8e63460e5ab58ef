"""Cold start of `otklik serve` for scripts/bench-load.sh: spawns the server on an existing
database and times the spawn to the first 200 on /healthz, polling every millisecond, then
stops it (SIGTERM) and waits for it to exit before the next run. Prints each run in ms and the
median. Usage: coldstart.py RUNS BIN DATABASE_URL PORT"""
import http.client
import statistics
import subprocess
import sys
import time

runs, binary, url, port = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
times = []
for _ in range(runs):
    start = time.monotonic()
    server = subprocess.Popen(
        [binary, "serve", "--bind", f"127.0.0.1:{port}", "--database-url", url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                break
        except OSError:
            pass
        if server.poll() is not None:
            sys.exit(f"server exited with {server.returncode} before serving")
        time.sleep(0.001)
    times.append((time.monotonic() - start) * 1000)
    server.terminate()
    server.wait()
print("runs_ms", " ".join(f"{t:.0f}" for t in times))
print(f"median_ms {statistics.median(times):.0f}")
