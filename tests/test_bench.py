"""bench/run.py keeps working while pages come and go: it measures what exists, says "n/a" for the rest."""

import argparse

import pytest

from bench.run import probe, report, summarise

pytestmark = pytest.mark.django_db


def test_bench_reports_a_page_that_does_not_exist_yet_as_na(client):
    assert probe(client, "/no-such-page/")["status"] == "n/a"


def test_bench_counts_the_queries_of_the_admin_task_list(admin_client, seed):
    figures = probe(admin_client, "/admin/tasks/task/")
    assert figures["status"] == "ok"
    assert figures["queries"] > 0
    assert figures["kb"] > 0


def test_bench_summarises_times_as_median_and_95th_percentile():
    figures = summarise([5.0, 1.0, 3.0, 2.0, 4.0, 100.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0])
    assert figures == {"median_ms": 8.5, "p95_ms": 100.0, "requests": 16}


def row(page, n, queries, median):
    return {
        "page": page,
        "n": n,
        "status": "ok",
        "queries": queries,
        "median_ms": median,
        "p95_ms": median,
        "sql_ms": 1,
        "kb": 1,
    }


def test_bench_report_gives_growth_ratios_and_goals():
    args = argparse.Namespace(sizes=[100, 10000], repeat=5, updates_per_task=10, meetings=30)
    pages = [
        row("tasks", 100, 6, 20.0),
        row("tasks", 10000, 6, 24.0),
        row("admin task list", 100, 8, 40.0),
        row("admin task list", 10000, 9, 80.0),
        {"page": "dashboard", "n": 100, "status": "n/a", "detail": "404"},
        {"page": "dashboard", "n": 10000, "status": "n/a", "detail": "404"},
    ]
    results = {"backends": {"sqlite": {"database": "SQLite 3", "generation": {"100": 0.1}, "pages": pages}}}
    text = report(results, args)
    assert "20.0 -> 24.0 (1.20x)  queries met, time met" in text
    assert "40.0 -> 80.0 (2.00x)  queries MISSED, time MISSED by 1.33x" in text
    assert "/tasks/ vs admin task list at 10,000: 24.0 / 80.0 ms = 0.30x (goal <= 1.00x: met)" in text
    assert [line.split() for line in text.splitlines() if line.startswith("dashboard")][-1] == ["dashboard", "n/a"]
