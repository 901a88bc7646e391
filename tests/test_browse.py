"""`uprdex browse`: Datasette on a fixture index, driven by headless Chromium (Playwright with
Debian's /usr/bin/chromium), and the schema descriptions it shares with the README."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from uprdex.pipeline.browse import schema
from uprdex.pipeline.store import Store

from helpers import fixture

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
README = Path(__file__).resolve().parents[1] / "README.md"
SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Slovenia 2010 and 2014 (report and addendum), the 2019 compilation and national report
    that cite them, and a copy of the compilation deleted after indexing (its file is gone)."""
    from click.testing import CliRunner

    from uprdex.flows.cli import main

    folder = tmp_path_factory.mktemp("browse")
    gone = folder / "moved_national_report.pdf"
    shutil.copy(fixture("svn2014_national_report_p8.pdf"), gone)
    odd = folder / os.fsdecode(b"caf\xe9.pdf")  # from a Windows zip: not UTF-8
    odd.write_bytes(fixture("svn2019_national_report_p1-3.pdf").read_bytes() + b"\n% odd\n")
    names = (
        "slovenia2014_recs.pdf",
        "svn2014_addendum.pdf",
        "slovenia2010_recs.pdf",
        "svn2019_compilation_p1.pdf",
        "svn2019_national_report_p1-3.pdf",
    )
    path = folder / "index.sqlite"
    result = CliRunner().invoke(
        main,
        ["ingest", *(str(fixture(n)) for n in names), str(gone), str(odd), "--index", str(path)],
    )
    assert result.exit_code == 0, result.output
    gone.unlink()
    with Store(path) as store, store.transaction() as db:
        db.execute(
            "UPDATE evidence SET context = context || ? WHERE id = (SELECT min(id) FROM evidence)",
            (SCRIPT,),
        )
    return path


def _fingerprint(path: Path) -> str:
    digest = hashlib.sha256()
    for part in (path, Path(f"{path}-wal")):
        if part.exists():
            digest.update(part.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def server(index: Path) -> Iterator[str]:
    """`uprdex browse` on a free port; its base URL."""
    pytest.importorskip("datasette", reason="the browse extra (datasette) is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    before = _fingerprint(index)
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from uprdex.flows.cli import main; main()",
            "browse",
            "--index",
            str(index),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{url}/-/versions.json", timeout=2).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    output = process.stdout.read() if process.stdout else ""
                    pytest.fail(f"uprdex browse did not start: {output}")
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=30)
    assert _fingerprint(index) == before, "browsing wrote to the index"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """Headless Chromium (Debian's), driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} missing: `apt-get install -y chromium` to run the browser tests")
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright not installed")
    with playwright.sync_playwright() as driver:
        chromium = driver.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page whose console errors and failed requests fail the test."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
    yield page
    page.close()
    assert problems == []


def _json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as response:
        return json.loads(response.read())


def _db(index: Path) -> str:
    return index.stem


@pytest.mark.browser
def test_search_finds_recommendations_by_their_words(server: str, index: Path, page: Any) -> None:
    page.goto(f"{server}/{_db(index)}/recommendation_details")
    page.fill("input#_search", "migrant workers")
    page.press("input#_search", "Enter")
    page.wait_for_url(re.compile(r"_search=migrant"))
    heading = page.inner_text("h3")
    assert re.match(r"\d+ rows? where search matches", heading), heading
    texts = page.locator("td.col-text").all_inner_texts()
    assert texts and all("igrant" in text for text in texts)
    with Store(index) as store:
        expected = store.search("migrant workers").matched
    assert int(heading.split()[0]) <= expected


@pytest.mark.browser
def test_a_facet_filters_the_rows(server: str, index: Path, page: Any) -> None:
    page.goto(f"{server}/{_db(index)}/recommendation_details")
    facet = page.locator('.facet-info[data-column="response"] a', has_text="noted").first
    facet.click()
    page.wait_for_url(re.compile(r"response=noted"))
    responses = page.locator("td.col-response").all_inner_texts()
    with Store(index) as store:
        noted = store.db.execute(
            "SELECT count(*) FROM recommendations WHERE response = 'noted'"
        ).fetchone()[0]
    assert noted and set(responses) == {"noted"} and len(responses) == min(noted, 100)
    ARTIFACTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1400, "height": 1700})
    page.screenshot(path=str(ARTIFACTS / "browse.png"))
    assert (ARTIFACTS / "browse.png").stat().st_size > 20_000


@pytest.mark.browser
def test_a_cluster_id_opens_the_query_of_its_members(server: str, index: Path, page: Any) -> None:
    with Store(index) as store:
        largest = store.clusters(min_size=2)[0]
    page.goto(f"{server}/{_db(index)}/cluster_overview")
    page.locator("td.col-cluster_id a", has_text=largest.cluster_id).first.click()
    page.wait_for_url(re.compile(r"/cluster_members\?cluster_id="))
    assert "Recommendations of this cluster" in page.inner_text("h1")
    shown = page.locator("td.col-id").all_inner_texts()
    assert shown == [member.id for member in largest.members]


@pytest.mark.browser
def test_evidence_links_to_the_pdf_page_when_the_file_is_there(
    server: str, index: Path, page: Any
) -> None:
    page.goto(f"{server}/{_db(index)}/evidence_pages?_size=max")
    links = page.locator("td.col-pdf_page a")
    href = links.first.get_attribute("href")
    assert re.fullmatch(r"/-/uprdex/document/[0-9a-f]{64}#page=\d+", href or ""), href
    response = page.request.get(f"{server}{href}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body()[:5] == b"%PDF-"
    # The moved file's evidence says so instead of linking.
    assert re.search(r"moved_national_report\.pdf p\. \d+ \(not here\)", page.inner_text("table"))
    assert SCRIPT in page.inner_text("table")  # text from a document shows as text
    assert page.locator("table script").count() == 0


def test_a_file_whose_name_is_not_utf8_opens_from_its_evidence(server: str, index: Path) -> None:
    # Its name is stored escaped ("caf\xe9.pdf"): its evidence said "(not here)", and its
    # address "... is not there any more", though the file was where it was indexed.
    with urllib.request.urlopen(f"{server}/{_db(index)}/evidence_pages?_size=max") as response:
        table = response.read().decode("utf-8")
    link = r'<a href="(/-/uprdex/document/[0-9a-f]{64})#page=\d+">caf\\xe9\.pdf p\. \d+</a>'
    [href] = set(re.findall(link, table))
    with urllib.request.urlopen(f"{server}{href}") as response:
        assert response.read()[:5] == b"%PDF-"


@pytest.mark.browser
def test_noted_recommendations_with_evidence_since_a_date(
    server: str, index: Path, page: Any
) -> None:
    with Store(index) as store:
        noted = {
            row[0]
            for row in store.db.execute(
                "SELECT id FROM recommendations WHERE response = 'noted' "
                "AND state_under_review = 'Slovenia'"
            )
        }
    query = f"{server}/{_db(index)}/noted_with_evidence_since?state_under_review=Slovenia"
    # Slovenia's 2014 addendum (4 March 2015) comments on the noted ones; later, only the 2019
    # national report (6 August 2019) restates one, p. 3: "Since 2018, the Office of the
    # Ombudsman also has children's rights advocates." of 115.26, "Consider the establishment
    # of an office of the ombudsman for children's rights ..." (a paraphrase at 0.40 since echo5).
    later = "A/HRC/28/15#115.26"
    page.goto(f"{query}&since=2015-03")
    dates = page.locator("td.col-document_date").all_inner_texts()
    assert set(dates) == {"2015-03-04", "2019-08-06"}
    assert set(page.locator("td.col-id").all_inner_texts()) == noted
    page.goto(f"{query}&since=2016")
    dates = [d.strip() for d in page.locator("td.col-document_date").all_inner_texts()]
    ids = page.locator("td.col-id").all_inner_texts()
    assert set(ids) == noted
    # twice: the national report and its copy with other bytes (café.pdf)
    dated = [(i, d) for i, d in zip(ids, dates, strict=True) if d]
    assert dated == [(later, "2019-08-06")] * 2


def test_the_json_api_answers_the_readme_examples(server: str, index: Path) -> None:
    db = _db(index)
    rows = _json(
        f"{server}/{db}/recommendation_details.json?state_under_review=Slovenia"
        "&response=noted&_shape=array&_json=themes&_size=max"
    )
    with Store(index) as store:
        noted = store.recommendations()
    assert len(rows) == sum(1 for r in noted if r.response == "noted")
    assert all(isinstance(row["themes"], list) for row in rows)
    evidence = _json(
        f"{server}/{db}/recommendation_evidence.json?_shape=array&recommendation_id="
        + urllib.request.quote(rows[0]["id"], safe="")
    )
    assert evidence and all(row["document_sha256"] for row in evidence)


def test_every_column_is_described_once_for_datasette_and_the_readme(index: Path) -> None:
    described = schema()
    with Store(index) as store:
        names = [
            row[0]
            for row in store.db.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
                "AND name NOT LIKE '%fts%'"
            )
        ]
        for name in names:
            assert name in described, f"{name} has no entry in data/schema.yaml"
            if described[name].get("hidden"):
                continue
            columns = [row[1] for row in store.db.execute(f"PRAGMA table_info('{name}')")]
            assert list(described[name]["columns"]) == columns, name
    assert set(described) == set(names)


def test_the_readme_schema_section_is_the_generated_one() -> None:
    tool = Path(__file__).resolve().parents[1] / "tools" / "schema_doc.py"
    result = subprocess.run(
        [sys.executable, str(tool), "--check"],
        capture_output=True,
        text=True,
        env={**os.environ},
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_the_browse_extra_the_command_says_what_to_install(
    index: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    from click.testing import CliRunner

    from uprdex.flows.cli import main

    real = importlib.import_module

    def without_datasette(name: str, *args: Any) -> Any:
        if name.startswith("datasette"):
            raise ImportError(f"No module named {name!r}")
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", without_datasette)
    result = CliRunner().invoke(main, ["browse", "--index", str(index)])
    assert result.exit_code == 2
    assert "uprdex browse needs the browse extra: pip install 'uprdex[browse]'" in result.output
