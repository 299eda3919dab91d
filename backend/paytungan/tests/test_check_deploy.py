"""`manage.py check --deploy` with a production environment gives no warnings."""

from __future__ import annotations

from paytungan.tests.test_settings_validation import PRODUCTION, run


def check_deploy(env: dict[str, str]):
    return run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)


def test_check_deploy_passes_with_the_production_environment():
    result = check_deploy(PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stdout + result.stderr


def test_check_deploy_passes_with_every_optional_production_variable():
    env = PRODUCTION | {
        "SECRET_KEY_FALLBACKS": PRODUCTION["SECRET_KEY"][::-1],
        "CSRF_TRUSTED_ORIGINS": "https://paytungan.id",
        "FRONTEND_URL": "https://paytungan.id",
        "EMAIL_HOST": "smtp.example.com",
        "EMAIL_PORT": "465",
        "EMAIL_USE_SSL": "1",
        "NUM_PROXIES": "1",
    }
    result = check_deploy(env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_catches_an_insecure_override():
    # The check is not vacuous: switching a production default off is reported.
    result = check_deploy(PRODUCTION | {"SESSION_COOKIE_SECURE": "0", "SECURE_HSTS_SECONDS": "0"})
    assert result.returncode != 0
    assert "security.W012" in result.stdout + result.stderr
    assert "security.W004" in result.stdout + result.stderr
