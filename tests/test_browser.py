"""The bilingual page in a real headless Chromium (Debian's chromium + chromium-driver)."""

import os
import shutil

import polib
import pytest

from pipeline.workspace.articles import resolve
from pipeline.engines.registry import EngineProvider
from pipeline.run import translate_article
from tests.conftest import NOW, ROOT

EVIL = '<script>window.__pwned=1</script>"><img src=x onerror="window.__pwned=2">'


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    # A fresh home and profile every time: a run never depends on what an earlier
    # run (or the user's own Chromium) left in ~/.config, ~/.cache or ~/.pki.
    home = tmp_path_factory.mktemp("chromium-home")
    env = {**os.environ, "HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config"),
           "XDG_CACHE_HOME": str(home / ".cache"), "XDG_DATA_HOME": str(home / ".local" / "share")}
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--no-default-browser-check", "--disable-crash-reporter",
                 f"--user-data-dir={home / 'profile'}", "--window-size=1280,1600"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=shutil.which("chromedriver") or "/usr/bin/chromedriver", env=env)
    driver = webdriver.Chrome(options=options, service=service)
    yield driver
    driver.quit()


@pytest.mark.browser
def test_page_in_chromium(browser, article_dir, glossary, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    article = resolve(article_dir)
    engines = EngineProvider("dictionary", glossary)
    translate_article(article, glossary=glossary, engines=engines, now=NOW)
    # A reviewer (or an attacker) puts markup into a translation: it must render as text.
    catalog = polib.pofile(str(article.catalog))
    catalog[0].msgstr = EVIL
    catalog[0].flags = []
    catalog.save(str(article.catalog))
    translate_article(article, glossary=glossary, engines=engines, now=NOW)

    browser.get(article.html.resolve().as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.seg")
    assert len(rows) == 45
    assert browser.execute_script("return window.__pwned === undefined")
    assert EVIL in rows[0].find_element(By.CSS_SELECTOR, "td.tgt .text").text
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []

    target = rows[6].find_element(By.CSS_SELECTOR, "td.src")
    ActionChains(browser).move_to_element(target).perform()
    assert "hl" in rows[6].get_attribute("class")
    term = rows[6].find_element(By.CSS_SELECTOR, "td.src mark.term")
    ActionChains(browser).move_to_element(term).perform()
    key = term.get_attribute("data-term")
    partner = rows[6].find_element(By.CSS_SELECTOR, f'td.tgt mark.term[data-term="{key}"]')
    assert "on" in partner.get_attribute("class")
    assert browser.find_element(By.ID, "tip").is_displayed()
    assert "status-reviewed" in rows[0].get_attribute("class").split()
    # The approved markup carries no required rendering: its QA errors sit in its own row.
    warning = rows[0].find_element(By.CSS_SELECTOR, "td.tgt ul.qa li")
    assert warning.is_displayed() and "glossary" in warning.text
    assert not rows[1].find_elements(By.CSS_SELECTOR, "ul.qa")
    # Keyboard: focusing a sentence highlights its row, as hovering does.
    english = rows[10].find_element(By.CSS_SELECTOR, "td.tgt")
    browser.execute_script("arguments[0].focus()", english)
    assert "hl" in rows[10].get_attribute("class")
    # Narrow screens: the two columns stack.
    browser.set_window_size(600, 1200)
    # The page learns its new width asynchronously: wait for the narrow layout to apply.
    WebDriverWait(browser, 30).until(lambda d: d.execute_script("return matchMedia('(max-width: 700px)').matches"))
    src, tgt = (rows[10].find_element(By.CSS_SELECTOR, c) for c in ("td.src", "td.tgt"))
    assert tgt.location["y"] > src.location["y"] and abs(tgt.location["x"] - src.location["x"]) < 40
    browser.set_window_size(1280, 1600)
    WebDriverWait(browser, 30).until(lambda d: d.execute_script("return !matchMedia('(max-width: 700px)').matches"))
    # The page's Content-Security-Policy: its own script ran (the highlighting above); a script
    # or a fetch that anything added to the page is blocked and reported.
    assert browser.execute_script(
        "return document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content"
    ).startswith("default-src 'none'")
    browser.execute_script("""
        window.__csp = [];
        document.addEventListener('securitypolicyviolation', function(e) {
            window.__csp.push(e.effectiveDirective); });
        var s = document.createElement('script'); s.textContent = 'window.__pwned = 3';
        document.body.appendChild(s);
        var i = document.createElement('img'); i.src = 'http://127.0.0.1:9/x.png'; document.body.appendChild(i);
        var l = document.createElement('link'); l.rel = 'stylesheet'; l.href = 'http://127.0.0.1:9/x.css';
        document.head.appendChild(l);
        fetch('http://127.0.0.1:9/x').catch(function() {});
    """)
    WebDriverWait(browser, 10).until(lambda b: len(b.execute_script("return window.__csp")) >= 4)
    assert sorted(browser.execute_script("return window.__csp")) == [
        "connect-src", "img-src", "script-src-elem", "style-src-elem"]
    assert browser.execute_script("return window.__pwned === undefined")
    shot = tmp_path / "bilingual.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    # Kept for a person to look at (ignored by git).
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    shutil.copy(shot, out / "bilingual.png")


@pytest.fixture
def reviewed_page(article_dir, glossary):
    """The sample's page after a reviewer approved a sentence whose figures are gone, edited a
    draft without approving it and approved a few drafts as they were."""
    article = resolve(article_dir)
    engines = EngineProvider("dictionary", glossary)
    translate_article(article, glossary=glossary, engines=engines, now=NOW)
    catalog = polib.pofile(str(article.catalog))
    live = [e for e in catalog if not e.obsolete]
    figures = next(e for e in live if "4512" in e.msgid)
    figures.msgstr, figures.flags = "Party organizations chose many typical examples.", []
    live[3].msgstr = "A reviewer's rewrite, not approved yet."
    live[8].msgstr = "未譯 left in a draft"  # Chinese left over: a second row with findings
    for e in live[:2]:
        e.flags = []
    catalog.save(str(article.catalog))
    translate_article(article, glossary=glossary, engines=engines, now=NOW)
    return article


def _visible(browser, selector):
    from selenium.webdriver.common.by import By

    return [r for r in browser.find_elements(By.CSS_SELECTOR, selector) if r.is_displayed()]


@pytest.mark.browser
def test_the_page_guides_the_reviewer(browser, reviewed_page, tmp_path):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    browser.get("about:blank")
    browser.get_log("browser")  # what earlier pages logged is theirs
    browser.get(reviewed_page.html.resolve().as_uri())
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.seg")
    flagged = [r for r in rows if r.find_elements(By.CSS_SELECTOR, "ul.qa li")]
    unreviewed = [r for r in rows if "status-reviewed" not in r.get_attribute("class").split()
                  or r.find_elements(By.CSS_SELECTOR, "ul.qa li.error")]
    assert 0 < len(flagged) < len(rows) and 0 < len(unreviewed) < len(rows)

    # The approved sentence with errors: a red badge that counts them, never a green "Reviewed".
    bad = browser.find_element(By.CSS_SELECTOR, "tr.seg.flagged")
    errors = len(bad.find_elements(By.CSS_SELECTOR, "ul.qa li.error"))
    badge = bad.find_element(By.CSS_SELECTOR, ".status")
    assert "4512" in bad.text and badge.text == f"Reviewed · {errors} error{'s' if errors > 1 else ''}"
    ok = next(r for r in rows if r.get_attribute("class").split()[2:3] == ["status-reviewed"] and r != bad
              and not r.find_elements(By.CSS_SELECTOR, "ul.qa li.error"))
    assert badge.value_of_css_property("color") != ok.find_element(By.CSS_SELECTOR, ".status").value_of_css_property(
        "color")
    assert rows[3].find_element(By.CSS_SELECTOR, ".status").text == "Draft · edited, not approved"

    # The filter: "has findings" hides every row without one; "needs review" every row done.
    browser.find_element(By.CSS_SELECTOR, "input[name=filter][value=findings]").click()
    assert [r.get_attribute("id") for r in _visible(browser, "tr.seg")] == [r.get_attribute("id") for r in flagged]
    browser.find_element(By.CSS_SELECTOR, "input[name=filter][value=review]").click()
    assert [r.get_attribute("id") for r in _visible(browser, "tr.seg")] == [r.get_attribute("id") for r in unreviewed]
    browser.find_element(By.CSS_SELECTOR, "input[name=filter][value=all]").click()
    assert len(_visible(browser, "tr.seg")) == len(rows)

    # Keys: j/k walk the findings, n/p the entries to review; focus moves with them.
    def focused_row():
        return browser.execute_script("var e=document.activeElement;while(e&&e.tagName!=='TR')e=e.parentElement;"
                                      "return e&&e.id")

    browser.find_element(By.TAG_NAME, "h1").click()
    ActionChains(browser).send_keys("j").perform()
    assert focused_row() == flagged[0].get_attribute("id")
    assert browser.execute_script("return document.activeElement.classList.contains('tgt')")
    ActionChains(browser).send_keys("j").perform()
    assert focused_row() == flagged[1].get_attribute("id")
    ActionChains(browser).send_keys("k").perform()
    assert focused_row() == flagged[0].get_attribute("id")
    ActionChains(browser).send_keys("n").perform()
    seg = {r.get_attribute("id"): int(r.get_attribute("data-seg")) for r in rows}
    to_review = [r.get_attribute("id") for r in unreviewed]
    after = [i for i in to_review if seg[i] > seg[flagged[0].get_attribute("id")]]
    assert focused_row() == after[0]
    ActionChains(browser).send_keys("p").perform()
    assert focused_row() == [i for i in to_review if seg[i] < seg[after[0]]][-1]

    # Terms are underlined, not painted; hovering one paints it, and its tooltip gives the full note.
    term = rows[6].find_element(By.CSS_SELECTOR, "td.src mark.term")
    assert term.value_of_css_property("background-color") in ("rgba(0, 0, 0, 0)", "transparent")
    assert "underline" in term.value_of_css_property("text-decoration-line")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", term)  # clear of the sticky header
    ActionChains(browser).move_to_element(term).perform()
    assert term.value_of_css_property("background-color") not in ("rgba(0, 0, 0, 0)", "transparent")
    tip = browser.find_element(By.ID, "tip")
    assert tip.is_displayed() and tip.text == term.get_attribute("data-tip") and "→" in tip.text
    glossary_notes = browser.find_element(By.ID, "glossary").text
    assert tip.text.split(": ", 1)[1][:40] in glossary_notes

    # The script ran under the page's policy (the keys above), and nothing broke it.
    logged = browser.get_log("browser")
    assert not [e for e in logged if "Content Security Policy" in e["message"] or e["level"] == "SEVERE"]


@pytest.mark.browser
def test_screenshot_shows_the_findings_summary_at_the_top(browser, reviewed_page, tmp_path):
    from selenium.webdriver.common.by import By

    browser.set_window_size(1280, 900)
    browser.get(reviewed_page.html.resolve().as_uri())
    summary = browser.find_element(By.ID, "qa-summary")
    assert summary.is_displayed() and summary.rect["y"] + summary.rect["height"] < 300  # in the first screenful
    assert summary.text.startswith("QA: ") and "error" in summary.text
    checks = {li.get_attribute("data-check"): int(li.find_element(By.TAG_NAME, "b").text)
              for li in summary.find_elements(By.TAG_NAME, "li")}
    on_rows = {}
    for li in browser.find_elements(By.CSS_SELECTOR, "tr.seg ul.qa li"):
        check = li.get_attribute("textContent").split(": ")[1]
        on_rows[check] = on_rows.get(check, 0) + 1
    assert checks == on_rows and "numbers" in checks
    shot = tmp_path / "summary.png"
    summary.screenshot(str(shot))
    png = shot.read_bytes()
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and width > 300 and height > 10
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    shutil.copy(shot, out / "summary.png")
    browser.save_screenshot(str(out / "page-top.png"))
    browser.set_window_size(1280, 1600)
