"""A council member scores a product on the phone page, in a real headless Chromium."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
import requests

from tests.support.assessment import assess_and_open
from tests.support.auth import token
from tests.support.batches import open_batch
from tests.support.sheets import answers_for_four_stars
from tests.support.waiting import eventually

ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PHONE = {"width": 360, "height": 740}
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "Debian's chromium is needed: `make test` installs it (apt-get install chromium)"
    return path


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def round_to_score(platform, http):
    """A product whose round passed the commune pre-check and waits for the members."""
    reg, sco = platform.api("registration"), platform.api("scoring")
    producer = http.post(
        f"{reg}/producers",
        json={
            "name": "Hộ kinh doanh Mật ong Ba Bể",
            "kind": "household",
            "women_led": True,
            "legacy_address": "Xã Quảng Khê, Huyện Ba Bể, Tỉnh Bắc Kạn",
        },
    ).json()
    product = http.post(
        f"{reg}/products",
        json={
            "producer_id": producer["id"],
            "name": "Mật ong bạc hà Ba Bể",
            "group": "food",
            "subgroup": "mat-ong-nong-san-khac",
        },
    ).json()
    http.post(
        f"{reg}/products/{product['id']}/dossiers",
        json={
            "batch_id": open_batch(http, reg, product["province_code"]),
            "year": date.today().year,
            "evidence": [
                {"kind": "test_report", "filename": "phieu-kiem-nghiem.pdf", "sha256": "cd" * 32}
            ],
        },
    )
    evaluation = eventually(
        lambda: http.get(f"{sco}/evaluations", params={"product_id": product["id"]}).json()
    )[0]
    assess_and_open(http.post, f"{sco}/evaluations/{evaluation['id']}")
    sheet = http.get(f"{sco}/evaluations/{evaluation['id']}/sheet").json()
    return {"evaluation": evaluation, "product": product, "sheet": sheet}


def sign_in(page, base: str, member: str) -> None:
    """As a member would with the token their province's sign-in service gave them; the
    browser keeps only a session id, out of reach of the page's scripts."""
    credential = token(member, roles=["council_member"], member_id=member)
    page.goto(f"{base}/sign-in")
    page.locator("textarea[name=credential]").fill(credential)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/score")
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    session = cookies["ocop_session"]
    assert session["value"] != credential and session["value"] not in credential
    assert session["httpOnly"] and session["sameSite"] == "Strict"
    assert page.evaluate("document.cookie") == ""  # scripts cannot read it


def test_the_scoring_pages_ask_for_sign_in_first(platform, browser):
    page = browser.new_page(viewport=PHONE, locale="vi-VN")
    answer = page.goto(f"{platform.urls['scoring']}/score")
    assert answer is not None and answer.status == 401
    page.get_by_role("link", name="Đăng nhập").click()
    assert page.locator("textarea[name=credential]").is_visible()
    page.close()


def test_a_member_scores_a_product_on_a_360px_screen(platform, http, browser, round_to_score):
    ARTIFACTS.mkdir(exist_ok=True)
    base = platform.urls["scoring"]
    evaluation, sheet = round_to_score["evaluation"], round_to_score["sheet"]
    answers = answers_for_four_stars(sheet)
    points = {
        o["code"]: o["points"] for p in sheet["parts"] for c in p["criteria"] for o in c["options"]
    }
    expected = sum(points[option] for option in answers.values())  # 84 on the honey sheet
    page = browser.new_page(viewport=PHONE, locale="vi-VN")

    sign_in(page, base, "member-2")
    assert page.get_by_text("Thành viên hội đồng: member-2").is_visible()
    page.get_by_text(round_to_score["product"]["name"]).click()
    assert page.get_by_text("phieu-kiem-nghiem.pdf").is_visible()  # the dossier's evidence
    sources = page.locator("#sheet-sources")
    assert "Mật ong, mật khác và nông sản thực phẩm khác" in sources.inner_text()
    sources.locator("summary").click()
    assert "bản chép của bên thứ ba" in sources.inner_text()  # where the criteria come from
    for code, option in answers.items():
        page.locator(f'input[name="{code}"][value="{option}"]').check()
    assert page.locator("#total").inner_text() == f"{expected:g}"  # running, before submitting
    assert (
        page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    )  # no sideways scroll
    page.screenshot(path=str(ARTIFACTS / "scoring-sheet-360.png"), full_page=False)
    page.get_by_role("button", name="Gửi phiếu").click()
    page.wait_for_selector("#saved")
    page.screenshot(path=str(ARTIFACTS / "scoring-saved-360.png"))
    page.close()

    stored = http.get(
        f"{platform.api('scoring')}/evaluations/{evaluation['id']}/scoresheets",
        params={"member_id": "member-2"},
    ).json()
    assert stored[0]["answers"] == answers and stored[0]["total"] == expected


def test_an_incomplete_sheet_comes_back_with_the_missing_criteria_marked(
    platform, browser, round_to_score
):
    page = browser.new_page(viewport=PHONE, locale="vi-VN")
    sign_in(page, platform.urls["scoring"], "member-3")
    page.goto(f"{platform.urls['scoring']}/score/{round_to_score['evaluation']['id']}")
    first = round_to_score["sheet"]["parts"][0]["criteria"][0]
    page.locator(f'input[name="{first["code"]}"]').first.check()
    page.get_by_role("button", name="Gửi phiếu").click()
    assert page.locator("#errors").is_visible()
    assert (
        page.locator("fieldset.fault").count()
        == sum(len(part["criteria"]) for part in round_to_score["sheet"]["parts"]) - 1
    )
    assert page.locator(
        f'input[name="{first["code"]}"]'
    ).first.is_checked()  # the answer given is kept
    page.close()


def test_a_member_signs_out_and_the_session_is_gone(platform, browser):
    base = platform.urls["scoring"]
    page = browser.new_page(viewport=PHONE, locale="vi-VN")
    sign_in(page, base, "member-1")
    session = next(c for c in page.context.cookies() if c["name"] == "ocop_session")["value"]
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(f"{base}/sign-in")
    assert [c for c in page.context.cookies() if c["name"] == "ocop_session"] == []
    answer = page.goto(f"{base}/score")
    assert answer is not None and answer.status == 401
    page.close()
    # deleted where it is kept, not only from this browser: a copy of the cookie is useless
    assert requests.get(f"{base}/score", cookies={"ocop_session": session}).status_code == 401


def test_the_public_criteria_page_shows_which_sheets_score_and_which_wait(platform, browser):
    """A province sees coverage: every product set, used, withheld (with why) or missing."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport=PHONE, locale="vi-VN")
    answer = page.goto(f"{platform.urls['scoring']}/criteria")
    assert answer is not None and answer.status == 200
    in_force = page.locator("#set-148-2023")
    assert in_force.locator("li[data-status=used]").count() == 22
    assert in_force.locator("li[data-status=withheld]").count() == 4
    tea = in_force.locator("li[data-subgroup=che-tuoi-che-che-bien]")
    assert "chưa dùng" in tea.inner_text() and "32/35" in tea.inner_text()
    assert "dùng để chấm" in in_force.locator("li[data-subgroup=hoa]").inner_text()
    assert "chưa xác nhận" in page.locator("#set-26-2026").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "criteria-coverage-360.png"), full_page=False)
    page.close()
