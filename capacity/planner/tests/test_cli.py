"""The command line: nonsense refused before any load is sent; a plan and report from a past run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from capacity.planner.check import problems
from capacity.planner.cli import main
from capacity.planner.knee import Slo, StepResult
from capacity.planner.results import Results, Run
from capacity.planner.runner import Schedule, StepRecord

WORKLOAD = Path(__file__).resolve().parents[2] / "workload.yaml"


def write_workload(tmp_path: Path, **change: object) -> Path:
    data = yaml.safe_load(WORKLOAD.read_text())
    data.update(change)
    path = tmp_path / "workload.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


def test_the_committed_workload_file_is_valid(tmp_path, capsys):
    assert main(["plan", "--workload", str(WORKLOAD), "--out", str(tmp_path)]) == 0
    assert "Capacity needed at the start" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["plan", "--workload", "no/such/file.yaml"], "workload file not found: no/such/file.yaml"),
        (["plan", "--slo-p95-ms", "0"], "SLO p95 must be above 0 ms"),
        (["plan", "--slo-errors", "0"], "SLO error rate must be between 0 and 100 %"),
        (["run", "--workload", "no/such/file.yaml"], "workload file not found"),
        (["run", "--slo-p95-ms", "0"], "SLO p95 must be above 0 ms"),
        (["run", "--steps", "40,20"], "--steps must rise"),
        (["run", "--step-seconds", "5", "--warmup-seconds", "5"], "step seconds must exceed"),
        (["plan", "--results", "no/results.json"], "results file not found"),
    ],
)
def test_nonsense_stops_before_any_load_with_status_2(argv, message, capsys, tmp_path):
    assert main([*argv, "--out", str(tmp_path)]) == 2
    assert message in capsys.readouterr().err


def test_negative_users_in_the_file_are_refused(tmp_path, capsys):
    path = write_workload(tmp_path, users=-50_000)
    assert main(["plan", "--workload", str(path), "--out", str(tmp_path)]) == 2
    assert "users: must be at least 1, got -50000" in capsys.readouterr().err


def test_argparse_refuses_non_positive_numbers(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["run", "--pace", "-1"])
    assert exit_.value.code == 2
    assert "--pace must be above 0" in capsys.readouterr().err


def step(instances: int, users: int, rps: float, p95: float) -> StepRecord:
    result = StepResult(
        users=users, seconds=20, requests=int(rps * 20), failures=0, rps=rps, p50_ms=p95 / 3,
        p95_ms=p95, p99_ms=p95 * 1.4, mean_ms=p95 / 2.5, instances=instances,
    )  # fmt: skip
    return StepRecord(result, {}, [])


def test_a_plan_from_a_past_run_writes_the_report_and_charts(tmp_path, capsys):
    results = Results(
        generated_at="2026-11-26 08:00 UTC",
        machine={"cores": 2, "cpu": "test", "load_average_start": [1.0, 1.0, 1.0]},
        target="synthetic",
        schedule=Schedule([10, 20, 40], 20, 5, 0.5),
        slo=Slo(),
        runs=[
            Run(1, [step(1, 10, 20, 60), step(1, 20, 40, 120), step(1, 40, 55, 450)]),
            Run(3, [step(3, 10, 20, 40), step(3, 20, 40, 70), step(3, 40, 80, 150)]),
        ],
    )
    results.save(tmp_path / "results.json")

    argv = ["plan", "--workload", str(WORKLOAD), "--results", str(tmp_path / "results.json")]
    assert main([*argv, "--out", str(tmp_path)]) == 0

    report = (tmp_path / "report.md").read_text()
    # Knee of 1 instance: 40 RPS (the 55 RPS step broke p95); 3 instances: at least 80.
    assert "One instance sustains 40.0 RPS" in report
    assert "**Capacity with 3 instances / 1 instance: 2.00**" in report
    assert problems(tmp_path) == []
    saved = json.loads((tmp_path / "results.json").read_text())
    assert saved["runs"][0]["knee"]["rps"] == 40
    assert "Scale this iteration" in capsys.readouterr().out


class _FakeTarget:
    url = "http://127.0.0.1:1"

    def cpu_pids(self) -> dict[str, list[int]]:
        return {}


def _verify(monkeypatch, tmp_path, offered):
    """verify_safe_rate with run_steps answering `offered(users)` RPS at p95 50 ms."""
    from capacity.planner import cli

    asked: list[int] = []

    def fake_run_steps(*, schedule, **__):
        users = schedule.steps[0]
        asked.append(users)
        record = step(1, users, offered(users), 50)
        record.repeats.append(record.result)
        return [record]

    monkeypatch.setattr(cli, "run_steps", fake_run_steps)
    results = Results(
        generated_at="2026-12-03 08:00 UTC", machine={"cores": 2}, target="synthetic",
        schedule=Schedule([10, 20, 40], 20, 5, 0.5), slo=Slo(),
        runs=[Run(1, [step(1, 10, 20, 60), step(1, 20, 40, 120), step(1, 40, 55, 450)])],
    )  # fmt: skip
    out = cli.verify_safe_rate(
        results=results, workload=None, target=_FakeTarget(),  # type: ignore[arg-type]  # a stand-in
        accounts=tmp_path, seconds=12,
        warmup=3, repeats=1, workdir=tmp_path, progress=cli.Progress(),
    )  # fmt: skip
    return out, asked


def test_verify_offers_the_safe_rate_again_with_more_users_when_it_fell_short(
    monkeypatch, tmp_path
):
    # Knee 40 RPS at 20 users (2 per user): safe 24 RPS = 12 users. The users make only 1.5 RPS
    # each, so 12 offer 18 (short); the second attempt scales to 16 users and holds 24.
    out, asked = _verify(monkeypatch, tmp_path, lambda users: 1.5 * users)
    assert asked == [12, 16]
    assert out["inside_slo"] is True
    assert out["users"] == 16


def test_verify_reports_a_rate_still_not_offered_after_the_second_attempt(monkeypatch, tmp_path):
    out, asked = _verify(monkeypatch, tmp_path, lambda users: 10.0)
    assert len(asked) == 2
    assert out["inside_slo"] is False
    assert "fell short" in out["verdict"]
