"""The capacity seed: load-test users whose sessions and tokens the API accepts, in their groups."""

from __future__ import annotations

import json

from django.test import Client

from capacity.planner.seed_command import main
from paytungan.groups.models import Group, Member


def test_seeded_accounts_can_use_the_api_by_session_and_by_token(db, tmp_path):
    out = tmp_path / "accounts.json"
    argv = ["--users", "12", "--groups", "6", "--bills-median", "3", "--bills-max", "6"]
    assert main([*argv, "--out", str(out)]) == 0

    data = json.loads(out.read_text())
    accounts = data["accounts"]
    assert len(accounts) == 12
    assert Group.objects.count() == 6
    assert all(a["groups"] for a in accounts)  # 6 groups x 2+ registered >= 12 users
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    first = accounts[0]

    browser = Client()
    browser.cookies["sessionid"] = first["session"]
    groups = browser.get("/api/groups").json()["items"]
    assert sorted(g["id"] for g in groups) == first["groups"]

    api = Client()
    me = api.get("/api/me", headers={"Authorization": f"Bearer {first['token']}"}).json()
    assert me["email"] == first["email"]
    login = api.post(
        "/api/auth/login",
        {"email": first["email"], "password": data["password"]},
        content_type="application/json",
        headers={"Authorization": f"Bearer {first['token']}"},
    )
    assert login.status_code == 200


def test_a_second_run_reuses_the_data_and_issues_fresh_credentials(db, tmp_path):
    args = ["--users", "6", "--groups", "3", "--bills-median", "2", "--bills-max", "3"]
    assert main([*args, "--out", str(tmp_path / "a.json")]) == 0
    members = Member.objects.count()
    assert main([*args, "--out", str(tmp_path / "b.json")]) == 0

    first = json.loads((tmp_path / "a.json").read_text())["accounts"]
    second = json.loads((tmp_path / "b.json").read_text())["accounts"]
    assert Member.objects.count() == members
    assert [a["groups"] for a in first] == [a["groups"] for a in second]
    assert first[0]["token"] != second[0]["token"]
    client = Client()
    stale = client.get("/api/me", headers={"Authorization": f"Bearer {first[0]['token']}"})
    assert stale.status_code == 401


def test_nonsense_sizes_are_refused_before_touching_the_database(tmp_path, capsys):
    assert main(["--users", "1", "--out", str(tmp_path / "a.json")]) == 2
    assert "need --users >= 2" in capsys.readouterr().err
    assert not (tmp_path / "a.json").exists()
