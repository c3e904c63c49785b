"""The command line as a user runs it: exit codes, stderr progress, the analyze contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from briefgen import __version__
from briefgen.cli import build_kind
from tests.conftest import REPO, SEED_ARTICLE, article


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "briefgen", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_version_and_help_work_through_python_dash_m() -> None:
    assert run("--version").stdout.strip() == f"briefgen {__version__} ({build_kind()})"
    for command in ("build", "analyze", "check", "serve", "publish", "import", "new", "init"):
        shown = run(command, "--help")
        assert shown.returncode == 0 and "usage: briefgen " + command in shown.stdout


def test_output_piped_into_a_reader_that_stops_early_ends_quietly() -> None:
    piped = subprocess.run(
        f"{sys.executable} -m briefgen analyze content | head -c 10",
        shell=True,
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in piped.stderr and "BrokenPipe" not in piped.stderr


def test_a_usage_error_exits_2() -> None:
    assert run("build", "--no-such-flag").returncode == 2
    assert run("frobnicate").returncode == 2


def test_analyze_json_follows_the_contract_for_the_seed() -> None:
    done = run("analyze", "--json", f"content/{SEED_ARTICLE}")
    assert done.returncode == 0, done.stderr
    [line] = done.stdout.splitlines()
    result = json.loads(line)
    assert list(result) == ["path", "title", "key_points", "quotes", "topics"]
    assert result["path"] == f"content/{SEED_ARTICLE}"
    assert result["topics"] == ["security"]
    assert 3 <= len(result["key_points"]) <= 5
    confirm = next(q for q in result["quotes"] if q["text"].startswith("I can confirm"))
    assert confirm["speaker"] == "Mark Rutte"
    assert list(confirm) == ["text", "speaker", "start", "end"]
    assert all(not q["text"].endswith((",", ".")) for q in result["quotes"])
    assert "special military operation" not in [q["text"] for q in result["quotes"]]


def test_analyze_accepts_a_bare_file_outside_any_site(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text(
        article(
            "Talks resume",
            body=(
                "Negotiators met in Geneva on Monday to restart talks on a ceasefire. "
                'The meeting lasted six hours. "We made progress," said Anna Berg, the mediator. '
                "Another round is planned for next week."
            ),
        )
    )
    done = run("analyze", "--json", "--key-points", "3", str(note), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["title"] == "Talks resume" and len(result["key_points"]) == 3
    assert result["quotes"][0]["speaker"] == "Anna Berg"
    text = "\n".join(result["key_points"])
    assert "Negotiators met in Geneva" in text


def test_analyze_reports_a_broken_file_as_an_error_line_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "good.md").write_text(article("Fine", body="A complete sentence is here."))
    (tmp_path / "bad.md").write_text("---\ntitle: No date\n---\nText.\n")
    done = run("analyze", "--json", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 1
    lines = [json.loads(line) for line in done.stdout.splitlines()]
    assert [Path(line["path"]).name for line in lines] == ["bad.md", "good.md"]
    assert "date" in lines[0]["error"] and lines[0]["error"].startswith(str(tmp_path / "bad.md"))
    assert lines[1]["title"] == "Fine"


def test_analyze_prints_quotes_with_speakers_as_text() -> None:
    done = run("analyze", f"content/{SEED_ARTICLE}")
    assert "Key points:" in done.stdout
    assert '"I can confirm that North Korean troops' in done.stdout
    assert "— Mark Rutte" in done.stdout


def test_build_reports_progress_and_exits_1_on_a_broken_article(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content/ok.md").write_text(article("Fine", body="Some text."))
    (tmp_path / "content/bad.md").write_text("---\ntitle: x\ndate: 2024-13-45\n---\nText.\n")
    done = run("build", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 1
    assert "content/bad.md:3: error: front matter has an impossible value" in done.stderr
    assert "2 articles read" not in done.stderr and "1 articles read (1 failed)" in done.stderr
    assert (tmp_path / "site/articles/ok/index.html").is_file()
    quiet = run("build", "-q", str(tmp_path), cwd=tmp_path)
    assert "articles read" not in quiet.stderr and "content/bad.md:3" in quiet.stderr


def test_strict_turns_warnings_into_a_failing_exit_code(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content/ok.md").write_text(article("Fine", body="Some text."))
    (tmp_path / "briefgen.yaml").write_text("title: T\nbase_url: https://x.example/\ncolor: red\n")
    assert run("build", str(tmp_path), cwd=tmp_path).returncode == 0
    assert run("build", "--strict", str(tmp_path), cwd=tmp_path).returncode == 1


def test_config_option_reads_another_config_file(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content/ok.md").write_text(article("Fine", body="Some text."))
    (tmp_path / "staging.yaml").write_text("title: Staging Briefing\n")
    done = run("build", str(tmp_path), "--config", str(tmp_path / "staging.yaml"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "<title>Staging Briefing</title>" in (tmp_path / "site/index.html").read_text()
    missing = run("build", str(tmp_path), "--config", str(tmp_path / "nope.yaml"), cwd=tmp_path)
    assert missing.returncode == 1 and "config file not found" in missing.stderr


def test_analyze_json_reports_automatic_topics(tmp_path: Path) -> None:
    (tmp_path / "briefgen.yaml").write_text(
        "topics:\n  economy:\n    keywords: [inflation, interest rate]\n"
    )
    (tmp_path / "a.md").write_text(
        article(
            "Prices", body="Inflation rose again and the interest rates will follow, bankers said."
        )
    )
    (tmp_path / "b.md").write_text(
        article("Match report", body="The striker scored twice as the home side won the cup final.")
    )
    done = run("analyze", "--json", str(tmp_path), cwd=tmp_path)
    topics = {Path(r["path"]).name: r["topics"] for r in map(json.loads, done.stdout.splitlines())}
    assert topics["a.md"] == ["economy"]
    assert len(topics["b.md"]) == 1 and topics["b.md"][0].startswith("unsorted-")


def test_clean_empties_the_cache_and_the_next_build_analyses_again(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content/ok.md").write_text(article("Fine", body="Some text here."))
    run("build", "-q", str(tmp_path), cwd=tmp_path)
    (tmp_path / "content/more.md").write_text(article("More", body="More text here."))
    run("build", "-q", str(tmp_path), cwd=tmp_path)
    assert (tmp_path / ".briefgen-cache").is_dir() and (tmp_path / ".site.spare").is_dir()
    assert run("clean", str(tmp_path), cwd=tmp_path).returncode == 0
    assert not (tmp_path / ".briefgen-cache").exists() and not (tmp_path / ".site.spare").exists()
    assert (tmp_path / "site/index.html").is_file()  # the site itself stays
    again = run("build", str(tmp_path), cwd=tmp_path)
    assert "2 analysed" in again.stderr


def test_a_build_with_nothing_changed_loads_none_of_the_pipeline(tmp_path: Path) -> None:
    """Its answer comes from file stamps and the output's listing: the Markdown parser, the
    analysis and Jinja are not even imported (they were half of its time)."""
    (tmp_path / "content").mkdir()
    (tmp_path / "briefgen.yaml").write_text("title: T\nbase_url: https://example.org/\n")
    (tmp_path / "content/a.md").write_text(article("Rates held", body="The bank held rates."))
    assert run("build", "--no-search", "-q", cwd=tmp_path).returncode == 0
    probe = (
        "import sys\nfrom briefgen.cli import main\ncode = main(['build', '--no-search'])\n"
        "heavy = ('jinja2', 'markdown_it', 'briefgen.analysis.quotes', 'briefgen.collection',"
        " 'briefgen.build_steps')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))\nsys.exit(code)"
    )
    again = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert again.returncode == 0 and "nothing changed" in again.stderr
    assert again.stdout.strip() == "[]"
    (tmp_path / "content/a.md").write_text(article("Rates held", body="The bank held rates again."))
    changed = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert changed.returncode == 0 and "briefgen.build_steps" in changed.stdout
