#!/usr/bin/env python3
"""A shaped Ethernet link in user space: what `tc qdisc … netem delay … rate …` does, for
kernels built without sch_netem (scripts/bench-first-visit.sh; e.g. this project's build VMs).

    fv-link.py <if-a> <if-b> <delay-ms> <rate-a-to-b bit/s> <rate-b-to-a bit/s>

Bridges every frame (ARP included) between two interfaces that have no address of their own,
through raw packet sockets, in each direction like netem: a frame is serialised at that
direction's rate behind the frames queued before it, then delivered `delay` later; no loss, no
reordering, no queue limit. The interfaces must have checksum and segmentation offloads off
(ethtool -K … tx off tso off gso off gro off), so each frame is a real, complete packet.
"""
import heapq
import select
import socket
import sys
import time

ETH_P_ALL = 0x0003
PACKET_OUTGOING = 4


def main():
    if_a, if_b = sys.argv[1], sys.argv[2]
    delay = float(sys.argv[3]) / 1000
    rates = {if_a: float(sys.argv[4]), if_b: float(sys.argv[5])}
    socks = {}
    for name in (if_a, if_b):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL))
        s.bind((name, 0))
        s.setblocking(False)
        socks[name] = s
    other = {if_a: socks[if_b], if_b: socks[if_a]}
    # When each direction's serialiser is next free, and the frames in flight (due, seq, sock, frame).
    free = {if_a: 0.0, if_b: 0.0}
    pending = []
    seq = 0
    by_fd = {s.fileno(): name for name, s in socks.items()}
    print("fv-link: up", flush=True)
    while True:
        now = time.monotonic()
        while pending and pending[0][0] <= now:
            _, _, out, frame = heapq.heappop(pending)
            out.send(frame)
        timeout = max(0.0, pending[0][0] - now) if pending else 1.0
        ready, _, _ = select.select(list(by_fd), [], [], timeout)
        for fd in ready:
            name = by_fd[fd]
            while True:
                try:
                    frame, address = socks[name].recvfrom(65536)
                except BlockingIOError:
                    break
                if address[2] == PACKET_OUTGOING:
                    continue  # our own transmission, seen on the way out
                now = time.monotonic()
                done = max(now, free[name]) + len(frame) * 8 / rates[name]
                free[name] = done
                seq += 1
                heapq.heappush(pending, (done + delay, seq, other[name], frame))


if __name__ == "__main__":
    main()
