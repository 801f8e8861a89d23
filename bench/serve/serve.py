"""Serve convviz to a class: K streamlit processes behind Debian's nginx, each browser kept on one of them.

One Streamlit process runs its sessions' reruns on about one core (Python's GIL), so a larger class needs
more processes; nginx spreads new visitors over them and keeps each visitor on its own (sticky sessions by
a cookie, websocket upgrade for ``/_stcore/stream``). See ``nginx.conf`` beside this file.

Usage (from the project root; needs ``apt-get install -y nginx``):
    python bench/serve/serve.py --replicas 2 --port 8080        # until Ctrl-C; open http://127.0.0.1:8080
    python bench/serve/serve.py --replicas 3 --listen 0.0.0.0   # reachable from the classroom network
The classroom bench measures the same setup with ``python bench/classroom.py --replicas 2``.
"""
from __future__ import annotations

import argparse
import contextlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
FLAGS = ["--server.headless", "true", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
         "--server.runOnSave", "false"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def healthy(url: str) -> bool:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        return bool(opener.open(f"{url}/_stcore/health", timeout=2).read() == b"ok")
    except OSError:
        return False


def children(pid: int) -> list[int]:
    """Direct children of ``pid`` (nginx's workers), from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def established(ports: list[int]) -> list[int]:
    """Open TCP connections to each local port (from /proc/net/tcp*): how nginx spread the sessions."""
    counts = dict.fromkeys(ports, 0)
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                port, state = int(fields[1].rsplit(":", 1)[1], 16), fields[3]
                if state == "01" and port in counts:  # 01: ESTABLISHED, server side of the connection
                    counts[port] += 1
    return [counts[p] for p in ports]


def nginx_config(servers: list[str], port: int, listen: str, prefix: Path) -> str:
    text = (HERE / "nginx.conf").read_text()
    lines = "\n".join(f"        server {server} max_fails=0;" for server in servers)
    for name, value in {"SERVERS": lines, "PORT": str(port), "LISTEN": listen, "PREFIX": str(prefix),
                        "REPLICAS": str(len(servers))}.items():
        text = text.replace(f"@@{name}@@", value)
    return text


class Cluster:
    """``replicas`` streamlit processes on free localhost ports and nginx in front on ``port``."""

    def __init__(self, replicas: int, port: int | None = None, listen: str = "127.0.0.1", timeout: float = 90,
                 extra: list[str] | None = None):
        if not 1 <= replicas <= 16:
            raise ValueError(f"replicas={replicas}; use 1 to 16")
        nginx = shutil.which("nginx") or "/usr/sbin/nginx"
        if not Path(nginx).exists():
            raise RuntimeError("nginx is not installed: apt-get install -y nginx")
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.prefix = Path(tempfile.mkdtemp(prefix="convviz-nginx-"))
        self.replicas: list[subprocess.Popen[bytes]] = []
        self.nginx: subprocess.Popen[bytes] | None = None
        self._logs: list[Any] = []
        self.ports: list[int] = []
        try:
            self.ports = ports = [free_port() for _ in range(replicas)]
            for replica_port in ports:
                log = (self.prefix / f"streamlit-{replica_port}.log").open("wb")
                self._logs.append(log)
                self.replicas.append(subprocess.Popen(
                    [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", "--server.port", str(replica_port),
                     "--server.address", "127.0.0.1", *FLAGS, *(extra or [])],
                    cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
            deadline = time.monotonic() + timeout
            for replica_port in ports:
                while not healthy(f"http://127.0.0.1:{replica_port}"):
                    if time.monotonic() > deadline:
                        raise RuntimeError(f"replica on port {replica_port} did not start; see {self.prefix}")
                    time.sleep(0.3)
            config = self.prefix / "nginx.conf"
            config.write_text(nginx_config([f"127.0.0.1:{p}" for p in ports], self.port, listen, self.prefix))
            command = [nginx, "-p", str(self.prefix), "-c", str(config), "-g", "daemon off;"]
            subprocess.run([*command[:-2], "-t", "-q"], check=True)
            self.nginx = subprocess.Popen(command)
            while not healthy(self.url):
                if time.monotonic() > deadline or self.nginx.poll() is not None:
                    raise RuntimeError(f"nginx did not start; see {self.prefix}/error.log")
                time.sleep(0.2)
        except BaseException:
            self.stop()
            raise

    @property
    def pids(self) -> list[int]:
        """The replicas, nginx's master and its workers (for CPU and memory accounting)."""
        pids = [p.pid for p in self.replicas]
        if self.nginx is not None:
            pids += [self.nginx.pid, *children(self.nginx.pid)]
        return pids

    def stop(self) -> None:
        for process in ([self.nginx] if self.nginx else []) + self.replicas:
            if process.poll() is None:
                process.terminate()
        for process in ([self.nginx] if self.nginx else []) + self.replicas:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        for log in self._logs:
            log.close()
        shutil.rmtree(self.prefix, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=2, help="streamlit processes (about one per core)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port")
    parser.add_argument("--listen", default="127.0.0.1", help="nginx's address (0.0.0.0 for a classroom network)")
    parser.add_argument("--streamlit-arg", action="append", default=[], metavar="ARG",
                        help="passed to every replica, e.g. --streamlit-arg=--runner.postScriptGC=false")
    args = parser.parse_args(argv)
    cluster = Cluster(args.replicas, args.port, args.listen, extra=args.streamlit_arg)
    print(f"convviz on {args.listen}:{args.port} -> {args.replicas} streamlit replicas (pids "
          f"{', '.join(str(p.pid) for p in cluster.replicas)}); Ctrl-C stops all of them", flush=True)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(1))
    try:
        while not stopping and all(p.poll() is None for p in [*cluster.replicas, cluster.nginx] if p):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        cluster.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
