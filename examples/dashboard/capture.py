"""Makes the README's pictures: a screenshot of the dashboard after some traffic, and an example
conformance report (run from the repository root; needs Debian's chromium and chromium-driver).

    .venv/bin/python examples/dashboard/capture.py
"""

from __future__ import annotations

import base64
import shutil
import sys
import time
from pathlib import Path

import httpx
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from isosim.testing import start

HERE = Path(__file__).resolve().parent
IBT = "/sms_oper_contract/api/customers"
SAMPLE = Path(__file__).resolve().parents[2] / "tests" / "samples" / "3.2.8-mappings-post-request.xml"
MEDIA = "application/vnd.iso-ne.contract.customers.v1+xml"


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


def traffic(base: str) -> None:
    xyz = basic("xyz-ibt", "xyz-ibt-sandbox")
    httpx.put(f"{base}/_isosim/clock", json={"frozen_at": "2026-03-10T13:00:00Z"})
    for n in range(40):
        httpx.get(f"{base}{IBT}/1/subaccounts", headers={**xyz, "Accept": MEDIA})
        if n % 7 == 0:
            httpx.get(f"{base}{IBT}/2/subaccounts", headers=xyz)  # another customer's: 403
        time.sleep(0.05)
    httpx.post(
        f"{base}{IBT}/1/contractSubaccountMappings",
        content=SAMPLE.read_bytes(),
        headers={**xyz, "Content-Type": MEDIA},
    )
    httpx.post(
        f"{base}/_isosim/faults",
        json={"action": "error", "status": 503, "count": 3, "path": "/sms_oper_contract/*"},
    )
    for _ in range(4):
        httpx.get(f"{base}{IBT}/1/subaccounts", headers={**xyz, "Accept": MEDIA})


def main() -> None:
    server = start(["isone-sandbox", "isone-production"])
    try:
        traffic(server.url)
        options = webdriver.ChromeOptions()
        options.binary_location = shutil.which("chromium") or ""
        for argument in (
            "--headless=new",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--window-size=1400,1250",
        ):
            options.add_argument(argument)
        driver = webdriver.Chrome(
            options=options, service=webdriver.ChromeService(shutil.which("chromedriver"))
        )
        try:
            driver.get(f"{server.url}/_isosim/ui/")
            WebDriverWait(driver, 20).until(lambda d: d.find_element(By.ID, "status").text == "live")
            driver.find_element(By.ID, "conformance-identity").send_keys("xyz-ibt")
            driver.find_element(By.CSS_SELECTOR, "#conformance-form button").click()
            WebDriverWait(driver, 20).until(lambda d: "IBT-2" in d.find_element(By.ID, "conformance").text)
            driver.execute_script("window.scrollTo(0, 0)")
            time.sleep(1.5)
            driver.save_screenshot(str(HERE / "dashboard.png"))
        finally:
            driver.quit()
        report = httpx.get(
            f"{server.url}/_isosim/conformance", params={"identity": "xyz-ibt", "format": "html"}
        )
        (HERE / "report-xyz-ibt.html").write_text(report.text)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
