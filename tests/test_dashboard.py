"""The dashboard at /_isosim/ui/ in a real headless Chromium (Debian's chromium and chromium-driver,
driven by selenium): it loads from isosim alone, shows live traffic, sets the clock, adds a fault
rule that then fires, reports conformance, draws the day's prices, and logs no error in the
browser's console (a favicon included)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import httpx
import pytest

from tests.conftest import IBT, as_customer

WAIT = 20


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not (shutil.which("chromium") and shutil.which("chromedriver")):
        if os.environ.get("ISOSIM_TEST_REQUIRE_CHROMIUM"):  # set by .ci/run: CI must not skip these
            pytest.fail(
                "Chromium is required (ISOSIM_TEST_REQUIRE_CHROMIUM) but chromium/chromedriver are missing"
            )
        pytest.skip("the dashboard tests need `apt-get install chromium chromium-driver`")
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or ""
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(shutil.which("chromedriver")))
    try:
        yield driver
    finally:
        driver.quit()


def _until(driver, condition) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, WAIT).until(condition)


def _text(driver, element_id: str) -> str:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    return driver.find_element(By.ID, element_id).text


def test_the_dashboard_shows_traffic_and_drives_the_simulator(browser, live_servers: list[str]) -> None:  # type: ignore[no-untyped-def]
    from selenium.webdriver.common.by import By

    base = live_servers[0]
    browser.get(f"{base}/_isosim/ui/")
    _until(browser, lambda d: _text(d, "status") == "live")
    assert "isone-sandbox" in _text(browser, "packs")

    # live traffic: a client's requests appear in the journal table
    assert httpx.get(f"{base}{IBT}/1/subaccounts", headers=as_customer(1)).status_code == 200
    _until(browser, lambda d: "/sms_oper_contract/api/customers/1/subaccounts" in _text(d, "journal"))

    # the clock, set on the page
    field = browser.find_element(By.ID, "clock-at")
    field.clear()
    field.send_keys("2026-03-10T13:00:00Z")
    browser.find_element(By.ID, "clock-freeze").click()
    _until(browser, lambda d: _text(d, "clock-now").startswith("2026-03-10T13:00:00"))
    assert httpx.get(f"{base}/_isosim/clock").json() == {
        "now": "2026-03-10T13:00:00Z",
        "mode": "frozen",
        "rate": 0.0,
    }

    # a fault rule added on the page fires on the next request, which the page then shows
    path = browser.find_element(By.ID, "fault-path")
    path.clear()
    path.send_keys("/sms_oper_contract/*")
    browser.find_element(By.CSS_SELECTOR, "#fault-form button").click()
    _until(browser, lambda d: "error 503" in _text(d, "faults"))
    assert httpx.get(f"{base}{IBT}/1/subaccounts", headers=as_customer(1)).status_code == 503
    _until(browser, lambda d: " 503 " in f" {_text(d, 'journal')} ")
    browser.find_element(By.CSS_SELECTOR, "#faults button").click()
    _until(browser, lambda d: "error 503" not in _text(d, "faults"))
    assert httpx.get(f"{base}/_isosim/faults").json() == []

    # conformance of the user whose requests the page showed
    browser.find_element(By.ID, "conformance-identity").send_keys("xyz-ibt")
    browser.find_element(By.CSS_SELECTOR, "#conformance-form button").click()
    _until(browser, lambda d: "IBT-2" in _text(d, "conformance"))

    # the day's prices of the ISO-NE hub, as the market publishes them
    assert ".H.INTERNAL_HUB" in _text(browser, "prices-title")
    drawn = browser.execute_script(
        "const c = document.getElementById('prices');"
        "const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;"
        "let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n;"
    )
    assert drawn > 200

    severe = [entry for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert severe == []


def test_the_page_needs_nothing_from_elsewhere(live_servers: list[str]) -> None:
    page = httpx.get(f"{live_servers[0]}/_isosim/ui/")
    assert page.status_code == 200
    assert "http" not in page.text.replace('xmlns="http://www.w3.org', "")
    for asset in ("app.js", "style.css", "favicon.svg"):
        assert httpx.get(f"{live_servers[0]}/_isosim/ui/{asset}").status_code == 200
