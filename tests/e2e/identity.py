"""A real OpenID Connect provider (npm oidc-provider, in tests/oidc) and an app server that signs in with it."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from bench.local_server import answers
from tests.conftest import FixtureDB
from tests.e2e.conftest import ROOT, START_TIMEOUT_S, Server, free_port, streamlit_server

OIDC_DIR = ROOT / "tests" / "oidc"
CLIENT_ID, CLIENT_SECRET = "llmcompare", "client-secret-for-tests-only"
COOKIE_SECRET = "cookie-secret-for-tests-only-0123456789"
ROLES = {"editor": ["editor@example.test"], "member": ["group:llm-team"], "default": "viewer"}


@dataclass(frozen=True)
class SignIn:
    """The app server, the identity provider's URL and the secret the app signs its cookies with."""

    app: Server
    issuer: str
    cookie_secret: str


def _toml(value: object) -> str:
    return json.dumps(value)  # TOML's basic strings and arrays of them read as JSON does


def secrets_toml(app_url: str, issuer: str, extra: str = "") -> str:
    """The [auth] and [roles] sections a team writes, pointing at the test provider."""
    roles = "\n".join(f"{name} = {_toml(value)}" for name, value in ROLES.items())
    auth = {
        "redirect_uri": app_url + "/oauth2callback",
        "cookie_secret": COOKIE_SECRET,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "server_metadata_url": issuer + "/.well-known/openid-configuration",
    }
    lines = [extra, "[auth]", *(f"{k} = {_toml(v)}" for k, v in auth.items())]
    # The test provider knows prompt=login, not Streamlit's default select_account.
    lines += ['client_kwargs = { prompt = "login" }', "", "[roles]", roles, ""]
    return "\n".join(lines)


@contextmanager
def oidc_provider(redirect_uri: str, log: Path) -> Iterator[str]:
    """Start tests/oidc/server.mjs on a free loopback port; yield its issuer URL; stop it by PID."""
    if not (OIDC_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("oidc-provider is not installed: `make test` runs `npm ci --prefix tests/oidc` first")
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    command = ["node", "server.mjs", str(port), CLIENT_ID, CLIENT_SECRET, redirect_uri]
    with log.open("w") as out:
        proc = subprocess.Popen(command, cwd=OIDC_DIR, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not answers(f"{issuer}/.well-known/openid-configuration"):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the OpenID Connect provider did not start; log:\n{log.read_text()}")
            time.sleep(0.2)
        yield issuer
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@contextmanager
def signed_in_app(db: FixtureDB, folder: Path, env: dict[str, str] | None = None, extra: str = "") -> Iterator[SignIn]:
    """An app server with [auth] and [roles] in its secrets, signing in with a real provider on loopback."""
    port = free_port()
    app_url = f"http://127.0.0.1:{port}"
    with oidc_provider(f"{app_url}/oauth2callback", folder / "oidc.log") as issuer:
        secrets = folder / "secrets.toml"
        secrets.write_text(secrets_toml(app_url, issuer, extra))
        settings = {"STREAMLIT_SECRETS_FILES": str(secrets), "HF_HUB_OFFLINE": "1", **(env or {})}
        with streamlit_server(db, folder / "streamlit.log", settings, port=port) as app:
            yield SignIn(app, issuer, COOKIE_SECRET)
