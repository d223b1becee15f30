"""The load step of `manage.py benchmark --load`: many signed-in users at once, on gunicorn as the
README deploys it, over loopback.

Each virtual user signs in with its own session (the sign-in page, its CSRF cookie, the form), then
until the deadline opens a page its role opens every day, waits a think time (0.5–1.5 s, from one
seeded generator per user, so a run is repeatable) and opens the next. What counts is what the
user waits for: the time to the last byte of each page, and every answer other than 200 (or a
connection error) as an error. A plain thread per user: the server, not the driver, is measured,
and 50 users waiting most of their time do not need more.
"""

from __future__ import annotations

import dataclasses
import http.cookiejar
import random
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclasses.dataclass(frozen=True)
class Account:
    username: str
    password: str
    pages: tuple[str, ...]  # paths this role opens, chosen at random


@dataclasses.dataclass
class Result:
    seconds: float
    latencies: list[float]
    errors: list[str]
    paths: list[str] = dataclasses.field(default_factory=list)  # the path of each latency, in step

    @property
    def requests(self) -> int:
        return len(self.latencies)

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    def by_page(self, name=lambda path: path) -> list[str]:
        """One line a page, slowest p95 first: its name (`name` of its path), count, p50, p95, mean."""
        groups: dict[str, list[float]] = {}
        for path, latency in zip(self.paths, self.latencies, strict=True):
            groups.setdefault(name(path), []).append(latency)
        pages = [(label, Result(0, latencies, [])) for label, latencies in groups.items()]
        pages.sort(key=lambda page: (-page[1].percentile(95), page[0]))
        return [
            f"  {label}：{page.requests}次，p50 {page.percentile(50):.3f} 秒，p95 {page.percentile(95):.3f} 秒，"
            f"平均 {sum(page.latencies) / page.requests:.3f} 秒"
            for label, page in pages
        ]

    def summary(self) -> str:
        rate = self.requests / self.seconds if self.seconds else 0
        return (
            f"{self.requests}次请求，{rate:.1f}次/秒，p50 {self.percentile(50):.3f} 秒，"
            f"p95 {self.percentile(95):.3f} 秒，p99 {self.percentile(99):.3f} 秒，错误{len(self.errors)}个"
        )


def run(base_url: str, accounts: list[Account], *, users: int, seconds: float, seed: int = 2026) -> Result:
    """`users` virtual users (accounts taken in turn) for `seconds`; bounded: a request left
    unanswered 30 s after the deadline is an error, not a hang."""
    deadline = time.monotonic() + seconds
    latencies: list[float] = []
    paths: list[str] = []
    errors: list[str] = []
    lock = threading.Lock()

    def user(number: int):
        account = accounts[number % len(accounts)]
        rng = random.Random(seed + number)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        try:
            _sign_in(opener, base_url, account)
        except Exception as exc:  # noqa: BLE001 - counted, not raised: the run goes on
            with lock:
                errors.append(f"{account.username} 登录失败：{exc}")
            return
        time.sleep(rng.uniform(0, 1.5))  # users do not all arrive in the same instant
        first = True
        while first or time.monotonic() < deadline:  # every user signed in is measured at least once
            first = False
            path = rng.choice(account.pages)
            started = time.perf_counter()
            try:
                with opener.open(base_url + path, timeout=30) as response:
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except Exception as exc:  # noqa: BLE001
                status = f"{exc.__class__.__name__}"
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                paths.append(path)
                if status != 200:
                    errors.append(f"{path}: {status}")
            time.sleep(rng.uniform(0.5, 1.5))

    started = time.monotonic()
    threads = [threading.Thread(target=user, args=(n,), daemon=True) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + 35)
    return Result(seconds=time.monotonic() - started, latencies=latencies, errors=errors, paths=paths)


def _sign_in(opener, base_url: str, account: Account) -> None:
    with opener.open(base_url + "/login/", timeout=30) as response:
        token = CSRF_FIELD.search(response.read().decode("utf-8")).group(1)
    data = urllib.parse.urlencode(
        {"username": account.username, "password": account.password, "csrfmiddlewaretoken": token}
    ).encode()
    request = urllib.request.Request(
        base_url + "/login/", data=data, headers={"Referer": base_url + "/login/"}
    )
    with opener.open(request, timeout=30) as response:
        if response.geturl().rstrip("/").endswith("/login"):
            raise RuntimeError("用户名或密码不对")
