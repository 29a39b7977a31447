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
    assert rows[0].get_attribute("class").split()[-1] == "status-reviewed"
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
