from django.db import connection


def test_live_answers_without_database(client):
    response = client.get("/api/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_checks_database_and_migrations(db, client):
    response = client.get("/api/health/ready")
    assert response.status_code == 200
    assert response.json()["database"] == "ok"


def test_probes_answer_for_any_host_header(db, client):
    for path in ("/api/health/live", "/api/health/ready"):
        response = client.get(path, HTTP_HOST="unknown.example")
        assert response.status_code == 200


def test_tests_run_on_postgresql():
    assert connection.vendor == "postgresql"
