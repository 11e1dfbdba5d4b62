"""River UI in a real browser (Debian's headless Chromium, driven by
Selenium through Debian's chromedriver), on both drivers: served by
serve_ui and mounted in a Starlette app under uvicorn. The job list shows
jobs inserted from Python; cancelling one in the browser is what
client.job_get then reads. Screenshots go to build/ui-screenshots."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.applications import Starlette
from starlette.routing import Mount

import pyriver
import pyriver.ui
from pyriver import JobState
from support.jobargs import SendEmail
from support.waiting import wait_for
from support.webservers import uvicorn_serving

CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "ui-screenshots"

pytestmark = pytest.mark.skipif(
    not (shutil.which(CHROMIUM) and shutil.which(CHROMEDRIVER)),
    reason="needs Debian's chromium and chromium-driver (make test installs them)",
)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    # Headless, and nothing that reaches for the network this machine does not have.
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1280,800",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium')}",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()


def page_text(browser: Any) -> str:
    from selenium.webdriver.common.by import By

    return str(browser.find_element(By.TAG_NAME, "body").text)


def cancel_in_the_browser(browser: Any, base: str, client: pyriver.Client, screenshot: str) -> None:
    from selenium.webdriver.common.by import By

    job = client.insert(SendEmail("ada@example.com", "welcome")).job
    browser.get(base + "jobs?state=available")
    wait_for(lambda: "send_email" in page_text(browser) and "ada@example.com" in page_text(browser), 30, "the job list")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(SCREENSHOTS / f"{screenshot}-jobs.png"))

    browser.get(base + f"jobs/{job.id}")
    wait_for(lambda: f"ID: {job.id}" in page_text(browser), 30, "the job's page")
    browser.save_screenshot(str(SCREENSHOTS / f"{screenshot}-job.png"))
    (cancel,) = [button for button in browser.find_elements(By.TAG_NAME, "button") if button.text == "Cancel"]
    cancel.click()
    wait_for(lambda: client.job_get(job.id).state is JobState.CANCELLED, 30, "the job to be cancelled")
    wait_for(lambda: "Cancelled" in page_text(browser), 30, "the page to show the cancellation")


def test_serve_ui_in_a_browser(browser: Any, client: pyriver.Client, database: Any) -> None:
    with client.serve_ui() as ui:
        cancel_in_the_browser(browser, ui.url, client, f"serve-ui-{database.driver}")


def test_mounted_asgi_app_in_a_browser(browser: Any, client: pyriver.Client, database: Any) -> None:
    app = Starlette(routes=[Mount("/riverui", app=pyriver.ui.asgi_app(client, "/riverui"))])
    with uvicorn_serving(app) as base:
        cancel_in_the_browser(browser, base + "/riverui/", client, f"asgi-{database.driver}")
