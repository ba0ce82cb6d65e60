"""Prometheus text-format metrics, kept by hand (three metric families do not need a client library):
requests by route and status, request latency as a histogram, and decisions by outcome."""

from __future__ import annotations

from collections import Counter

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self):
        self.requests: Counter = Counter()  # (method, route, status) -> count
        self.latency: dict[str, list] = {}  # route -> [bucket counts..., sum, count]
        self.decisions: Counter = Counter()  # outcome -> count

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests[(method, route, str(status))] += 1
        series = self.latency.setdefault(route, [0] * len(BUCKETS) + [0.0, 0])
        for i, bound in enumerate(BUCKETS):
            if seconds <= bound:
                series[i] += 1
        series[-2] += seconds
        series[-1] += 1

    def decided(self, outcome: str) -> None:
        self.decisions[outcome] += 1

    def text(self) -> str:
        lines = [
            "# HELP cec_http_requests_total HTTP requests by method, route and status.",
            "# TYPE cec_http_requests_total counter",
        ]
        for (method, route, status), count in sorted(self.requests.items()):
            lines.append(f'cec_http_requests_total{{method="{method}",route="{route}",status="{status}"}} {count}')
        lines += [
            "# HELP cec_http_request_duration_seconds Time to answer a request.",
            "# TYPE cec_http_request_duration_seconds histogram",
        ]
        for route, series in sorted(self.latency.items()):
            for bound, count in zip(BUCKETS, series):
                lines.append(f'cec_http_request_duration_seconds_bucket{{route="{route}",le="{bound}"}} {count}')
            lines.append(f'cec_http_request_duration_seconds_bucket{{route="{route}",le="+Inf"}} {series[-1]}')
            lines.append(f'cec_http_request_duration_seconds_sum{{route="{route}"}} {series[-2]:.6f}')
            lines.append(f'cec_http_request_duration_seconds_count{{route="{route}"}} {series[-1]}')
        lines += ["# HELP cec_decisions_total Decisions made, by outcome.", "# TYPE cec_decisions_total counter"]
        for outcome in ("eligible", "not_eligible", "undetermined"):
            lines.append(f'cec_decisions_total{{outcome="{outcome}"}} {self.decisions[outcome]}')
        return "\n".join(lines) + "\n"
