"""Sign-in for real, in Chromium, against a local OpenID Connect provider (oidc-provider-mock on a
loopback port): a person with a role signs in and sees it, a person without one is refused, a
signed-in person signs out, and an expired session is asked to sign in again. Nothing leaves
the machine."""

from __future__ import annotations

import contextlib
import os
import secrets

import pytest

from tests.browser import SERVER, free_port, is_loopback, streamlit_server

pytestmark = pytest.mark.usefixtures("store")


@pytest.fixture(scope="module")
def signed_app(tmp_path_factory, browser):
    """The app with sign-in configured against the mock provider; the session's Chromium."""
    from oidc_provider_mock import run_server_in_thread

    from data_access.db import ready_engine
    from data_access.repositories import UserRepository

    folder = tmp_path_factory.mktemp("signin")
    url = f"sqlite:///{folder / 'app.db'}"
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # the provider and the app talk plain HTTP on loopback only
    old = os.environ.get("PAIR_ATLAS_DATABASE_URL")
    os.environ["PAIR_ATLAS_DATABASE_URL"] = url
    try:
        users = UserRepository(ready_engine())
        users.set_role("editor@nhs.net", "editor", "NENC")
    finally:
        os.environ["PAIR_ATLAS_DATABASE_URL"] = old or ""
    with contextlib.ExitStack() as stack:
        provider = stack.enter_context(run_server_in_thread())
        issuer = f"http://localhost:{provider.server_port}"
        port = free_port()
        secrets_file = folder / "secrets.toml"
        secrets_file.write_text(
            "[auth]\n"
            f'redirect_uri = "http://localhost:{port}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
            'client_id = "pair-atlas-test"\nclient_secret = "test-secret"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n'
        )
        base = stack.enter_context(streamlit_server(SERVER, port=port, args=("--secrets.files", str(secrets_file)),
                                                    env={"PAIR_ATLAS_DATABASE_URL": url, "AUTHLIB_INSECURE_TRANSPORT": "1"}))
        yield base.replace("127.0.0.1", "localhost"), browser


def _sign_in(page, base: str, who: str) -> None:
    page.goto(base)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/oauth2/authorize**", timeout=30000)
    page.locator("input[name=sub]").fill(who)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(f"{base}/**", timeout=30000)


def _requests(page, base: str) -> list[str]:
    """Off-machine requests made by PAIR Atlas's own pages (the mock provider's login page loads
    a stylesheet from a CDN: that is the test provider, not the app; it is blocked too)."""
    seen: list[str] = []

    def record(request):
        if not is_loopback(request.url) and request.frame.url.startswith(base):
            seen.append(request.url)

    page.on("request", record)
    page.route(lambda url: not is_loopback(url), lambda route: route.abort())
    return seen


def test_a_person_with_a_role_signs_in_and_out(signed_app):
    base, browser = signed_app
    context = browser.new_context()
    page = context.new_page()
    seen = _requests(page, base)
    _sign_in(page, base, "editor@nhs.net")
    page.get_by_text("Signed in: editor@nhs.net: Editor of a region's data (NENC)").wait_for(timeout=60000)
    page.get_by_role("heading", name="Overview").first.wait_for(timeout=60000)
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/oauth2/end_session**", timeout=30000)  # the provider's end of session (st.logout goes there)
    page.get_by_role("button", name="End session").click()
    page.wait_for_load_state()
    if not page.url.startswith(base):
        page.goto(base)
    page.get_by_role("button", name="Sign in").wait_for(timeout=60000)
    assert page.get_by_text("Signed in:").count() == 0
    assert seen == []
    context.close()


def test_a_person_without_a_role_is_refused(signed_app):
    base, browser = signed_app
    context = browser.new_context()
    page = context.new_page()
    _sign_in(page, base, "stranger@nhs.net")
    page.get_by_text("Your account has no role in PAIR Atlas yet").wait_for(timeout=60000)
    assert page.get_by_role("heading", name="Overview").count() == 0
    context.close()


def test_an_expired_session_is_asked_to_sign_in_again(signed_app):
    base, browser = signed_app
    context = browser.new_context()
    page = context.new_page()
    _sign_in(page, base, "editor@nhs.net")
    page.get_by_text("Signed in: editor@nhs.net").wait_for(timeout=60000)
    expired = [dict(c, expires=1) for c in context.cookies() if c["name"].startswith("_streamlit")]
    assert expired, [c["name"] for c in context.cookies()]
    context.clear_cookies()
    context.add_cookies(expired)  # the identity cookie, expired
    page.goto(base)
    page.get_by_role("button", name="Sign in").wait_for(timeout=60000)
    assert page.get_by_text("Signed in:").count() == 0
    context.close()
