"""Headless Chromium for the browser tests: Debian's package, driven by Playwright.

Playwright is used only as a driver; it never downloads a browser of its own (this
workplace and CI can reach package registries only), so it launches Debian's
``/usr/bin/chromium``, installed here with apt when missing. On CI (``CI=true``) a
missing browser or driver fails the test instead of skipping it, so a broken install
step cannot pass unnoticed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
APT_PACKAGES = ("chromium", "chromium-driver")
#: Quiet, offline, sandbox-free (we run as root in a container) and reproducible.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    """Fail on CI, where the browser must be there; skip on a developer's machine."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"browser test cannot run on CI: {reason}", pytrace=False)
    pytest.skip(reason)


def ensure_chromium() -> Path:
    """Install Debian's chromium and chromium-driver with apt when missing (about a
    minute on a fresh machine); a failed install fails the test with apt's output."""
    if CHROMIUM.exists():
        return CHROMIUM
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        _unavailable(f"{CHROMIUM} is missing and apt-get cannot install it here (needs root on Debian)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update"], ["apt-get", "install", "-y", *APT_PACKAGES]):
        run = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
        if run.returncode != 0:
            pytest.fail(
                f"installing Chromium failed: {' '.join(cmd)} exited {run.returncode}\n{run.stderr[-2000:]}",
                pytrace=False,
            )
    if not CHROMIUM.exists():
        pytest.fail(f"apt-get installed {' '.join(APT_PACKAGES)} but {CHROMIUM} is missing", pytrace=False)
    return CHROMIUM


@dataclass
class PageLog:
    """What a page did that a report must never do: errors, dialogs, network requests."""

    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


def watch(page) -> PageLog:
    """Record console errors, uncaught exceptions, dialogs (dismissed) and every request
    other than the report file itself."""
    log = PageLog()
    page.on("console", lambda msg: msg.type == "error" and log.errors.append(msg.text))
    page.on("pageerror", lambda exc: log.errors.append(str(exc)))

    def on_dialog(dialog) -> None:
        log.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("request", lambda req: req.url.startswith(("file:", "data:")) or log.requests.append(req.url))
    return log


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    """A Playwright ``Browser`` on Debian's Chromium, shared by the session's tests."""
    executable = ensure_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is missing: pip install -e '.[dev]'")
    with sync_playwright() as pw:
        # Playwright gives each launch a fresh temporary profile of its own.
        browser = pw.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def open_page(chromium) -> Iterator[Callable[[Path], tuple[object, PageLog]]]:
    """Open a local file in a fresh 1280-pixel-wide page, watched from before it loads;
    gives (page, log). The test's pages are closed after it."""
    pages = []

    def open_(path: Path) -> tuple[object, PageLog]:
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        pages.append(page)
        log = watch(page)
        page.goto(Path(path).resolve().as_uri())
        return page, log

    yield open_
    for page in pages:
        page.close()
