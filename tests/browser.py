"""A real headless Chromium driven through chromedriver (selenium), for tests and benchmarks.

Debian's ``chromium`` and ``chromium-driver`` are used by path, so selenium never looks for
(or downloads) a browser or driver of its own. Running as root needs ``--no-sandbox``; the
background-networking flags keep Chromium from calling home on a machine with no network.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,1000",
)


def programs() -> tuple[str, str] | None:
    """The browser and its driver, or None when either is missing."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@contextmanager
def chromium_driver(profile: Path) -> Iterator[Any]:
    """A selenium WebDriver for headless Chromium with a fresh profile folder."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    found = programs()
    if found is None:
        raise RuntimeError("chromium and chromium-driver are needed (apt-get install both)")
    browser, driver_path = found
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium manager: never download
    driver = webdriver.Chrome(options=options, service=Service(executable_path=driver_path))
    driver.set_script_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
