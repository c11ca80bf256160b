"""Retake the screenshots of the README (docs/screenshots/) and of the Apps page
(afterschool_service/static/description/) in 简体中文, from a running demo server.

    AFTERSCHOOL_DB=afterschool_demo scripts/run &          # the demo, in Chinese
    ~/.cache/afterschool_service/venv-*/bin/python scripts/screenshots.py [URL] [DB]

URL defaults to http://localhost:8069 and DB to afterschool_demo. Needs Chromium (headless, driven through
its DevTools protocol) and the virtualenv's websocket-client, requests and Pillow (all Odoo requirements).
Not part of the test suite: the pictures depend on the day they are taken. It takes teacher1's roll-call of
the day as a teacher would (all present, three absent): run it against a demo database only.
"""

import base64
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import requests
import websocket
from PIL import Image

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
README_DIR = os.path.join(ROOT, "docs", "screenshots")
APPS_DIR = os.path.join(ROOT, "afterschool_service", "static", "description")
PHONE = {"width": 375, "height": 667, "deviceScaleFactor": 2, "mobile": True}
DESKTOP = {"width": 1366, "height": 800, "deviceScaleFactor": 1, "mobile": False}
MAX_BYTES = 300 * 1024


class Browser:
    """Headless Chromium, one tab, driven through the DevTools protocol."""

    def __init__(self):
        # Debian's /usr/bin/chromium is a wrapper that leaves the browser running: start the browser itself
        binary = next(
            path
            for path in (
                "/usr/lib/chromium/chromium",
                *map(shutil.which, ("chromium", "chromium-browser", "google-chrome")),
            )
            if path and os.path.exists(path)
        )
        self.profile = tempfile.mkdtemp(prefix="afterschool-screenshots-")
        port = 9333
        self.process = subprocess.Popen(
            [
                binary,
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--lang=zh-CN",
                f"--remote-debugging-port={port}",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            self.socket = self.connect(port)
        except Exception:
            self.close()
            raise
        self.next_id = 0

    def connect(self, port):
        for _attempt in range(100):
            try:
                targets = requests.get(
                    f"http://127.0.0.1:{port}/json/list", timeout=1
                ).json()
                page = next(t for t in targets if t["type"] == "page")
                break
            except (requests.RequestException, StopIteration):
                time.sleep(0.2)
        else:
            raise RuntimeError("Chromium did not start")
        return websocket.create_connection(
            page["webSocketDebuggerUrl"], timeout=60, suppress_origin=True
        )

    def call(self, method, **params):
        self.next_id += 1
        self.socket.send(
            json.dumps({"id": self.next_id, "method": method, "params": params})
        )
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})

    def evaluate(self, expression):
        result = self.call(
            "Runtime.evaluate",
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        return result.get("result", {}).get("value")

    def wait_for(self, selector, timeout=30):
        """Wait until the selector matches, then for the page to settle (fonts, images)."""
        deadline = time.time() + timeout
        while not self.evaluate(f"!!document.querySelector({json.dumps(selector)})"):
            if time.time() > deadline:
                raise RuntimeError(
                    f"{selector} not found on {self.evaluate('location.href')}"
                )
            time.sleep(0.3)
        time.sleep(1.5)

    def close(self):
        if getattr(self, "socket", None):
            self.socket.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def login(browser, url, db, user):
    """A session for the demo user (password = login), handed to the browser as its cookie."""
    response = requests.post(
        f"{url}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": db, "login": user, "password": user}},
        timeout=60,
    )
    response.raise_for_status()
    if response.json().get("error"):
        raise RuntimeError(f"cannot log in as {user}: {response.json()['error']}")
    browser.call("Network.clearBrowserCookies")
    browser.call(
        "Network.setCookie",
        name="session_id",
        value=response.cookies["session_id"],
        url=url,
    )


def shoot(browser, path, metrics):
    """Save the viewport as a PNG below MAX_BYTES (reduced to 256 colours when needed)."""
    data = base64.b64decode(
        browser.call("Page.captureScreenshot", format="png")["data"]
    )
    image = Image.open(io.BytesIO(data)).convert("RGB")
    size = (
        metrics["width"] * metrics["deviceScaleFactor"],
        metrics["height"] * metrics["deviceScaleFactor"],
    )
    image = image.crop((0, 0, *size))
    output = io.BytesIO()
    image.save(output, "PNG", optimize=True)
    if output.tell() > MAX_BYTES:
        output = io.BytesIO()
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
            output, "PNG", optimize=True
        )
    with open(path, "wb") as file:
        file.write(output.getvalue())
    print(
        f"{os.path.relpath(path, ROOT)}: {size[0]}×{size[1]}, {output.tell() // 1024} KB"
    )


def visit(browser, url, metrics, selector, script=None):
    browser.call("Emulation.setDeviceMetricsOverride", **metrics)
    browser.call("Page.navigate", url=url)
    browser.wait_for(selector)
    if script:
        browser.evaluate(script)
        time.sleep(1.5)


def main(url="http://localhost:8069", db="afterschool_demo"):
    browser = Browser()
    try:
        browser.call("Page.enable")
        # Phone-size pictures of the README's "Daily use on a phone".
        login(browser, url, db, "teacher1")
        visit(
            browser,
            f"{url}/odoo",
            PHONE,
            ".o_afterschool_rollcall_card",
            # as a teacher does it (this marks the demo's roll-call of today): all present, three absent
            """(async () => {
                const allPresent = document.querySelector('.o_afterschool_all_present');
                if (!allPresent) return;
                allPresent.click();
                await new Promise((resolve) => setTimeout(resolve, 1500));
                const cards = document.querySelectorAll('.o_afterschool_rollcall_card');
                for (const index of [2, 9, 17]) {
                    if (cards[index]) cards[index].click();
                    await new Promise((resolve) => setTimeout(resolve, 500));
                }
            })()""",
        )
        shoot(browser, os.path.join(README_DIR, "rollcall.png"), PHONE)

        login(browser, url, db, "coordinator")
        visit(
            browser,
            f"{url}/odoo/action-afterschool_service.afterschool_dashboard_action",
            PHONE,
            ".o_afterschool_figure",
        )
        shoot(browser, os.path.join(README_DIR, "dashboard.png"), PHONE)

        login(browser, url, db, "parent2")
        visit(browser, f"{url}/my/afterschool", PHONE, ".o_afterschool_pickup_code")
        shoot(browser, os.path.join(README_DIR, "portal_pickup_code.png"), PHONE)
        student = browser.evaluate(
            "(document.querySelector('a[href*=\"/my/afterschool/student/\"]') || {}).href"
        )
        visit(
            browser,
            student,
            PHONE,
            ".o_afterschool_month",
            # the current month's calendar at the top, a day attended opened
            """(() => {
                const month = document.querySelector('.o_afterschool_month');
                const days = [...month.querySelectorAll('button.o_afterschool_calendar_day.o_tone_present')];
                if (days.length) days[Math.floor(days.length / 2)].click();
                month.scrollIntoView();
            })()""",
        )
        shoot(browser, os.path.join(README_DIR, "portal_calendar.png"), PHONE)

        # The Apps page's desktop pictures, as the coordinator.
        login(browser, url, db, "coordinator")
        for name, action, selector in (
            (
                "screenshot_groups.png",
                "afterschool_service.afterschool_activity_group_action",
                ".o_kanban_record",
            ),
            (
                "screenshot_applications.png",
                "afterschool_service.afterschool_application_action",
                ".o_kanban_record",
            ),
            (
                "screenshot_sessions.png",
                "afterschool_service.afterschool_session_action",
                ".o_kanban_record, .o_calendar_renderer, .o_data_row",
            ),
        ):
            visit(browser, f"{url}/odoo/action-{action}", DESKTOP, selector)
            shoot(browser, os.path.join(APPS_DIR, name), DESKTOP)
    finally:
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
