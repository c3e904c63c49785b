"""Builds that reuse the cache give the same site as a build from nothing."""

from __future__ import annotations

import random
import shutil
import sys
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from briefgen.build import BuildMemory, BuildOptions, build
from briefgen.build_steps import save_memory
from briefgen.cache import load_state
from briefgen.page_keys import load_page_keys
from tests.conftest import REPO, article, site_snapshot

NOW = datetime(2024, 11, 2, 12, tzinfo=UTC)
MakeSite = Callable[[Mapping[str, str | bytes]], Path]


def clean_build_of(
    root: Path, tmp_path: Path, search: bool = True, now: datetime = NOW
) -> dict[str, bytes]:
    fresh = tmp_path / "fresh"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(root / "content", fresh / "content")
    shutil.copy(root / "briefgen.yaml", fresh / "briefgen.yaml")
    if (root / "layouts").is_dir():
        shutil.copytree(root / "layouts", fresh / "layouts")
    assert not build(fresh, BuildOptions(now=now, search=search)).failed()
    return site_snapshot(fresh / "site")


def _three_articles(make_site: MakeSite, layout: str | None = None) -> Path:
    files = {
        "briefgen.yaml": "title: T\nbase_url: https://example.org/\ntopics:\n  economy:\n",
        "content/a.md": article(
            "Rates held",
            topics="[economy]",
            source="One",
            body="The central bank held rates at 5% on Monday.",
        ),
        "content/b.md": article(
            "Harvest down",
            date="2024-10-29",
            source="Two",
            topics="[economy]",
            body="Wheat output fell by a third.",
        ),
        "content/c.md": article(
            "Port sold",
            date="2024-10-30",
            source="Three",
            topics="[economy]",
            body="The port was sold for $2bn.",
        ),
    }
    if layout is not None:
        files["layouts/base.html"] = layout
    return make_site(files)


# _three_articles' a.md and c.md with a lead of two sentences (what story grouping reads)
_LEADS = {
    "a.md": (
        "Rates held",
        "The central bank held rates at 5% on Monday. Analysts had expected it.",
        {"topics": "[economy]", "source": "One"},
    ),
    "c.md": (
        "Port sold",
        "The port was sold for $2bn. Unions objected.",
        {"date": "2024-10-30", "topics": "[economy]", "source": "Three"},
    ),
}


def edit_below_the_lead(root: Path, name: str, words: str) -> None:
    """Rewrite one of ``_three_articles`` with ``words`` after its lead: an edit that keeps
    the article's place, which serve takes in place."""
    title, lead, fields = _LEADS[name]
    (root / "content" / name).write_text(article(title, body=f"{lead} {words}", **fields))


@pytest.mark.parametrize("in_memory", [False, True], ids=["from-cache-folder", "serve-memory"])
def test_edits_deletes_and_renames_give_the_same_site_as_a_clean_build(
    make_site: MakeSite, tmp_path: Path, in_memory: bool
) -> None:
    root = _three_articles(make_site)
    memory = BuildMemory(long_running=True) if in_memory else None  # as serve keeps it
    steps = [
        lambda: (root / "content/a.md").write_text(
            article(
                "Rates cut",
                topics="[economy]",
                source="One",
                body='The central bank cut rates to 4.75%. "We acted," Ana Ruiz said.',
            )
        ),
        lambda: (root / "content/b.md").unlink(),
        lambda: (root / "content/c.md").rename(root / "content/port-sale.md"),
        lambda: (root / "content/d.md").write_text(
            article(
                "Strike ends",
                date="2024-10-31",
                source="Four",
                topics="[economy]",
                body="Workers voted to end the strike.",
            )
        ),
    ]
    assert not build(root, BuildOptions(now=NOW), memory).failed()
    for step in steps:
        step()
        assert not build(root, BuildOptions(now=NOW), memory).failed()
        assert site_snapshot(root / "site") == clean_build_of(root, tmp_path)


def test_a_config_change_that_alters_parsing_reparses_cached_articles(make_site: MakeSite) -> None:
    root = make_site(
        {
            "briefgen.yaml": "title: T\ntimezone: UTC\n",
            "content/a.md": article("Late news", date="2024-10-28 23:30", body="Text here."),
        }
    )
    build(root, BuildOptions(now=NOW))
    assert (root / "site/editions/2024-10-28").is_dir()
    (root / "briefgen.yaml").write_text("title: T\ntimezone: Asia/Tokyo\n")
    build(root, BuildOptions(now=NOW))
    assert (root / "site/editions/2024-10-28").is_dir()  # 23:30 in Tokyo is still the 28th
    (root / "briefgen.yaml").write_text("title: T\ntimezone: America/New_York\n")
    build(root, BuildOptions(now=NOW))
    page = (root / "site/articles/a/index.html").read_text()
    assert 'datetime="2024-10-28T23:30:00-04:00"' in page


def test_a_build_with_nothing_changed_renders_nothing_and_a_change_renders_again(
    make_site: MakeSite,
) -> None:
    root = make_site(
        {
            "briefgen.yaml": "title: T\nbase_url: https://example.org/\n",
            "content/a.md": article("Rates held", body="The central bank held rates on Monday."),
            "layouts/base.html": '{% extends "theme/base.html" %}',
        }
    )
    assert not build(root, BuildOptions(now=NOW)).skipped
    assert build(root, BuildOptions(now=NOW)).skipped
    layout = root / "layouts/base.html"
    layout.write_text(layout.read_text())  # saved without a change
    assert build(root, BuildOptions(now=NOW)).skipped
    layout.write_text('{% extends "theme/base.html" %}{% block footer %}New footer{% endblock %}')
    result = build(root, BuildOptions(now=NOW))
    assert not result.skipped and "New footer" in (root / "site/index.html").read_text()
    (root / "site/articles/a/index.html").unlink()
    assert not build(root, BuildOptions(now=NOW)).skipped
    assert (root / "site/articles/a/index.html").is_file()
    (root / "content/a.md").write_text(article("Rates cut", body="The bank cut rates."))
    assert not build(root, BuildOptions(now=NOW)).skipped
    assert "Rates cut" in (root / "site/index.html").read_text()
    assert not build(root, BuildOptions(now=NOW, rebuild=True)).skipped


def test_a_build_with_warnings_is_not_skipped_so_the_warnings_are_shown_again(
    make_site: MakeSite,
) -> None:
    root = make_site(
        {
            "briefgen.yaml": "title: T\n",
            "content/a.md": article("Chart", body="See ![chart](missing.png) here."),
        }
    )
    first = build(root, BuildOptions(now=NOW))
    again = build(root, BuildOptions(now=NOW))
    assert not again.skipped
    assert [str(d) for d in again.diagnostics] == [str(d) for d in first.diagnostics]


def test_a_changed_article_renders_only_the_pages_made_from_it(
    make_site: MakeSite, tmp_path: Path
) -> None:
    root = _three_articles(make_site)
    first = build(root, BuildOptions(now=NOW))
    assert first.pages_rendered == first.pages
    (root / "content/c.md").write_text(
        article(
            "Port sold",
            date="2024-10-30",
            source="Three",
            topics="[economy]",
            body="The port was sold for $2.5bn, more than expected.",
        )
    )
    second = build(root, BuildOptions(now=NOW))
    assert 0 < second.pages_rendered < second.pages
    assert site_snapshot(root / "site") == clean_build_of(root, tmp_path)


def test_an_article_added_to_one_edition_renders_that_edition_and_its_neighbours_only(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edition page shows its own stories and links the editions beside it by label: an
    article added to one day's edition renders that day's page and the two beside it (whose
    links do not change here, but whose labels the page reads), not the other days'."""
    import briefgen.render

    rendered: list[str] = []
    render = briefgen.render.Renderer.render

    def recorded(self: briefgen.render.Renderer, page: Any) -> Any:
        rendered.append(page.output)
        return render(self, page)

    monkeypatch.setattr(briefgen.render.Renderer, "render", recorded)
    topics = ["economy", "energy", "health"]
    root = make_site(
        {
            "briefgen.yaml": "title: T\nbase_url: https://example.org/\n",
            **{
                f"content/d{day}.md": article(
                    f"Report {day} on {topics[day % 3]}",
                    date=f"2024-10-{day}T12:00:00Z",
                    source=f"Outlet {day}",
                    topics=f"[{topics[day % 3]}]",
                    body=f"Officials gave update {day} on the {topics[day % 3]} plan.",
                )
                for day in range(22, 29)
            },
        }
    )
    assert not build(root, BuildOptions(now=NOW, search=False)).failed()
    (root / "content/late.md").write_text(
        article(
            "Harvest estimate revised",
            date="2024-10-25T15:00:00Z",
            source="Outlet 9",
            topics="[health]",
            body="The harvest estimate was revised down by a tenth.",
        )
    )
    rendered.clear()
    assert not build(root, BuildOptions(now=NOW, search=False)).failed()
    editions = sorted(page for page in rendered if page.startswith("editions/"))
    assert editions == [f"editions/2024-10-{day}/index.html" for day in (24, 25, 26)]
    assert site_snapshot(root / "site") == clean_build_of(root, tmp_path, search=False)


@pytest.mark.parametrize("in_memory", [False, True], ids=["from-cache-folder", "serve-memory"])
def test_a_layout_that_reads_every_topic_renders_every_page_after_a_change(
    make_site: MakeSite, in_memory: bool
) -> None:
    layout = (
        '{% extends "theme/base.html" %}{% block footer %}'
        "{{ topics|map(attribute='stories')|map('length')|sum }} stories{% endblock %}"
    )
    root = _three_articles(make_site, layout)
    memory = BuildMemory(long_running=True) if in_memory else None  # as serve keeps it
    edit_below_the_lead(root, "c.md", "Turnout was 40 percent.")
    build(root, BuildOptions(now=NOW), memory)
    edit_below_the_lead(root, "c.md", "Turnout was 60 percent.")
    again = build(root, BuildOptions(now=NOW), memory)
    assert again.pages_rendered == again.pages


def test_one_changed_article_rewrites_one_cache_file_and_the_others_stay(
    make_site: MakeSite,
) -> None:
    root = _three_articles(make_site)
    assert not build(root, BuildOptions(now=NOW)).failed()
    shards = {p: p.stat().st_mtime_ns for p in (root / ".briefgen-cache/articles").iterdir()}
    (root / "content/b.md").write_text(
        article("Harvest down", date="2024-10-29", source="Two", body="Output fell by half.")
    )
    result = build(root, BuildOptions(now=NOW))
    assert result.articles_analysed == 1
    rewritten = [p for p, mtime in shards.items() if p.stat().st_mtime_ns != mtime]
    assert len(rewritten) == 1
    assert build(root, BuildOptions(now=NOW)).articles_analysed == 0  # the new entry is read back


@pytest.mark.parametrize("damage", ["cut short", "emptied", "garbage", "run on"])
def test_a_damaged_cache_file_costs_time_only(
    make_site: MakeSite, tmp_path: Path, damage: str
) -> None:
    root = _three_articles(make_site)
    assert not build(root, BuildOptions(now=NOW)).failed()
    shards = sorted((root / ".briefgen-cache/articles").iterdir())
    for shard in shards:
        data = shard.read_bytes()
        shard.write_bytes(
            {
                "cut short": data[: len(data) // 2],
                "emptied": b"",
                "garbage": b"\x00not a cache" * 50,
                "run on": data + b"\x00",
            }[damage]
        )
    # (a change elsewhere, so that the build reads the articles)
    (root / "content/d.md").write_text(article("Ferry strike", body="Ferries stopped."))
    again = build(root, BuildOptions(now=NOW))
    assert not again.failed() and not again.diagnostics
    assert again.articles_analysed == 4  # the three whose entries were lost, and the new one
    assert site_snapshot(root / "site") == clean_build_of(root, tmp_path)
    assert build(root, BuildOptions(now=NOW, rebuild=False)).articles_analysed == 0


def test_the_first_build_after_an_upgrade_does_not_read_the_old_release_cache(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _three_articles(make_site)
    quoted = 'Mayor Ann Lee said: "We will rebuild the bridge within a year, whatever it costs."'
    (root / "content/q.md").write_text(article("Bridge to be rebuilt", body=quoted))
    assert not build(root, BuildOptions(now=NOW)).failed()
    # The release that wrote the cache kept its Quote class elsewhere: the name is in the
    # packed quotes, which are unpickled only when a page shows them.
    for shard in (root / ".briefgen-cache/articles").iterdir():
        shard.write_bytes(
            shard.read_bytes().replace(b"briefgen.analysis.quotes", b"briefgen.analysis.quotez")
        )
    monkeypatch.setattr(sys.modules["briefgen.cache"], "__version__", "99.0.0", raising=False)
    (root / "content/d.md").write_text(article("Ferry strike", body="Ferries stopped."))
    again = build(root, BuildOptions(now=NOW))
    assert not again.failed() and not again.diagnostics
    assert again.articles_analysed == 5
    assert site_snapshot(root / "site") == clean_build_of(root, tmp_path)


def test_an_untouched_site_is_up_to_date_without_reading_an_article(make_site: MakeSite) -> None:
    root = _three_articles(make_site)
    build(root, BuildOptions(now=NOW))
    again = build(root, BuildOptions(now=NOW))
    assert again.skipped and "read" not in again.timings and again.pages > 0
    # A save without a change touches the file: the articles are read, and found unchanged.
    (root / "content/a.md").write_bytes((root / "content/a.md").read_bytes())
    touched = build(root, BuildOptions(now=NOW))
    assert touched.skipped and "read" in touched.timings
    # With drafts shown the site may differ: the articles are read again.
    assert "read" in build(root, BuildOptions(now=NOW, drafts=True)).timings


def test_an_article_held_back_as_future_is_published_once_it_comes_due(
    make_site: MakeSite,
) -> None:
    root = _three_articles(make_site)
    (root / "content/d.md").write_text(
        article("Tomorrow's budget", date="2024-11-03", body="The budget is out tomorrow.")
    )
    assert build(root, BuildOptions(now=NOW)).articles_held_back == 1
    assert build(root, BuildOptions(now=NOW)).skipped
    later = build(root, BuildOptions(now=datetime(2024, 11, 3, 12, tzinfo=UTC)))
    assert not later.skipped and later.articles_held_back == 0
    assert "Tomorrow&#39;s budget" in (root / "site/index.html").read_text()


def test_a_layout_edit_renders_only_the_pages_made_with_that_layout(make_site: MakeSite) -> None:
    root = _three_articles(make_site)
    layout = root / "layouts/article.html"
    layout.parent.mkdir(exist_ok=True)
    layout.write_text('{% extends "theme/article.html" %}')
    first = build(root, BuildOptions(now=NOW))
    layout.write_text('{% extends "theme/article.html" %}{% block footer %}Desk{% endblock %}')
    again = build(root, BuildOptions(now=NOW))
    assert again.pages_rendered == 3 < first.pages_rendered  # the three article pages
    assert "Desk" in (root / "site/articles/b/index.html").read_text()
    assert "Desk" not in (root / "site/index.html").read_text()
    assert site_snapshot(root / "site") == clean_build_of(root, root.parent)


def test_what_templates_include_is_remembered_by_source_and_read_again_when_edited(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _three_articles(make_site)
    (root / "layouts").mkdir(exist_ok=True)
    (root / "layouts/_desk.html").write_text("Desk one")
    layout = root / "layouts/article.html"
    layout.write_text('{% extends "theme/article.html" %}{% block footer %}F{% endblock %}')
    assert not build(root, BuildOptions(now=NOW)).failed()
    parsed: list[str] = []
    render_module = sys.modules["briefgen.render"]
    parse = render_module._referenced_templates.__wrapped__  # past this process's memory

    def counted(source: str) -> frozenset[str]:
        parsed.append(source)
        return parse(source)

    monkeypatch.setattr(render_module, "_referenced_templates", counted)
    (root / "content/a.md").write_text(article("Harvest kept", date="2024-10-28", body="Kept."))
    assert not build(root, BuildOptions(now=NOW)).failed()
    assert parsed == []  # every template's references came from the build cache
    include = '{% extends "theme/article.html" %}{% block footer %}{% include "_desk.html" %}'
    layout.write_text(include + "{% endblock %}")
    assert not build(root, BuildOptions(now=NOW)).failed()
    # Only the edited layout is read for what it names, and the template it now includes.
    assert parsed == [layout.read_text(), "Desk one"]
    (root / "layouts/_desk.html").write_text("Desk two")  # the include is a dependency now
    again = build(root, BuildOptions(now=NOW))
    assert again.pages_rendered == 3
    assert "Desk two" in (root / "site/articles/b/index.html").read_text()
    (root / ".briefgen-cache/templates/references.json").write_text("{not json")
    (root / "layouts/_desk.html").write_text("Desk three")
    assert not build(root, BuildOptions(now=NOW)).failed()  # (read again, and written)
    assert "Desk three" in (root / "site/articles/b/index.html").read_text()
    assert site_snapshot(root / "site") == clean_build_of(root, root.parent)


def test_the_collection_state_is_written_only_when_it_changed(make_site: MakeSite) -> None:
    root = _three_articles(make_site)
    lead = "Wheat output fell by a third. Farmers blamed the weather. Prices rose. "

    def harvest(tail: str) -> str:
        return article("Harvest down", date="2024-10-29", source="Two", body=lead + tail)

    (root / "content/b.md").write_text(harvest("\n\nit was a poor year."))
    assert not build(root, BuildOptions(now=NOW)).failed()
    state = root / ".briefgen-cache/collection.json"
    written = state.stat().st_mtime_ns
    (root / "content/b.md").write_text(harvest("\n\nit was a very poor year."))
    assert not build(root, BuildOptions(now=NOW)).failed()
    assert state.stat().st_mtime_ns == written  # the same stories, topics and lead words
    (root / "content/d.md").write_text(article("New report", date="2024-10-30", body="New."))
    assert not build(root, BuildOptions(now=NOW)).failed()
    assert "d.md" in state.read_text()  # a new article: its story id is kept
    assert site_snapshot(root / "site") == clean_build_of(root, root.parent)


def test_a_broken_article_is_reported_by_every_build_until_fixed(make_site: MakeSite) -> None:
    root = _three_articles(make_site)
    assert not build(root, BuildOptions(now=NOW)).failed()
    (root / "content/b.md").write_text("---\ntitle: [unclosed\ndate: 2024-10-29\n---\nText.\n")
    for _ in range(3):
        result = build(root, BuildOptions(now=NOW))
        assert result.failed() and any("content/b.md" in str(d) for d in result.diagnostics)
        assert "Harvest down" in (root / "site/articles/b/index.html").read_text()  # kept
    (root / "content/b.md").write_text(article("Harvest up", date="2024-10-29", body="Up."))
    assert not build(root, BuildOptions(now=NOW)).failed()
    assert "Harvest up" in (root / "site/articles/b/index.html").read_text()


def test_a_file_saved_with_new_bytes_is_read_again_even_if_the_size_is_the_same(
    make_site: MakeSite,
) -> None:
    root = _three_articles(make_site)
    build(root, BuildOptions(now=NOW))
    path = root / "content/a.md"
    path.write_text(path.read_text().replace("held", "kept"))  # same length
    result = build(root, BuildOptions(now=NOW))
    assert result.articles_analysed == 1
    assert "kept" in (root / "site/articles/a/index.html").read_text()


def test_pages_removed_from_the_output_by_hand_come_back_in_the_next_build(
    make_site: MakeSite,
) -> None:
    root = make_site(
        {
            "briefgen.yaml": "title: T\n",
            "content/a.md": article("Rates held", body="The central bank held rates."),
            "content/b.md": article("Port reopens", body="The port reopened on Monday."),
        }
    )
    for text in ("held rates again.", "held rates a third time."):  # the spare is there now
        (root / "content/a.md").write_text(article("Rates held", body=f"The bank {text}"))
        assert not build(root, BuildOptions(now=NOW)).failed()
    (root / "site/articles/a/index.html").unlink()  # the last build wrote this one
    (root / "site/articles/b/index.html").unlink()  # and left this one as it was
    (root / "content/b.md").write_text(article("Port reopens", body="The port reopened."))
    result = build(root, BuildOptions(now=NOW))
    assert not result.failed(), result.diagnostics
    assert "a third time" in (root / "site/articles/a/index.html").read_text()
    assert "The port reopened." in (root / "site/articles/b/index.html").read_text()
    (root / "site/articles/a/index.html").unlink()  # now the spare shares it
    (root / "content/b.md").write_text(article("Port reopens", body="The port is open."))
    assert not build(root, BuildOptions(now=NOW)).failed()
    assert "a third time" in (root / "site/articles/a/index.html").read_text()


@pytest.mark.parametrize("in_memory", [False, True], ids=["from-cache-folder", "serve-memory"])
def test_random_edits_of_a_site_larger_than_its_feeds_give_the_same_site_as_a_clean_build(
    make_site: MakeSite, tmp_path: Path, in_memory: bool
) -> None:
    """Dates, topics, hiding, pinning, deletes and new articles among 60 articles: more
    than a feed holds (50), a topic page (page_size 5) or one edition, so entries move in
    and out of feeds, pages and editions as they would on a real site; and in between,
    edits of the text below the lead, which ``serve`` takes in place (its memory of the
    last site is used again, not made anew). (Each article is a story of its own: which articles
    make one story depends, by design, on the order they came in, so there a clean build
    may differ.)"""
    rng = random.Random(6)
    topics = ["economy", "energy", "health"]
    front: dict[int, tuple[str, str, dict[str, str]]] = {}  # title, date, other fields

    def random_article(n: int) -> str:
        fields = {
            "topics": f"[{rng.choice(topics)}]",
            "source": rng.choice(["One", "Two"]),
            "story": "false",
        }
        if rng.random() < 0.1:
            fields["hide"] = "true"
        if rng.random() < 0.05:
            fields["pin"] = "true"
        day = rng.randint(1, 12)
        title = f"Report {n} {rng.choice(['rates', 'grid', 'clinics'])}"
        front[n] = (title, f"2024-10-{day:02d}T{rng.randint(0, 23):02d}:00:00Z", fields)
        return text_edited(n)

    def text_edited(n: int) -> str:
        title, date, fields = front[n]
        said = rng.choice(["", ' "We will act on it quickly," officials said.'])
        body = (
            f"Officials gave an update on the matter {n}. The council met on Monday.\n\n"
            f"Turnout was {rng.randint(10, 90)} percent.{said}"
        )
        return article(title, date=date, body=body, **fields)

    files: dict[str, str | bytes] = {
        "briefgen.yaml": "title: T\nbase_url: https://example.org/\npage_size: 5\n",
        **{f"content/a{n:02d}.md": random_article(n) for n in range(60)},
    }
    root = make_site(files)
    memory = BuildMemory(long_running=True) if in_memory else None  # as serve keeps it
    options = BuildOptions(now=NOW, search=not in_memory)  # (serve makes its index apart)

    def watched(paths: list[Path]) -> set[Path] | None:
        return set(paths) if in_memory else None  # (serve's watcher hands them on)

    assert not build(root, options, memory).failed()
    for step in range(8):
        present = sorted((root / "content").glob("*.md"))
        saved = rng.sample(present, 3)  # what serve's watcher sees saved
        for path in saved:
            path.write_text(random_article(int(path.stem[1:])))
        if step % 3 == 1:
            saved.append(rng.choice(present))
            saved[-1].unlink()
        if step % 3 == 2:
            saved.append(root / f"content/a{60 + step:02d}.md")
            saved[-1].write_text(random_article(60 + step))
        assert not build(root, options, memory, watched(saved)).failed()
        assert site_snapshot(root / "site") == clean_build_of(root, tmp_path, options.search), (
            f"step {step}"
        )
        live = memory.live if memory else None
        saved = rng.sample(sorted((root / "content").glob("*.md")), 2)
        for path in saved:
            path.write_text(text_edited(int(path.stem[1:])))
        result = build(root, options, memory, watched(saved))
        assert not result.failed()
        assert site_snapshot(root / "site") == clean_build_of(root, tmp_path, options.search), (
            f"step {step}+"
        )
        if memory is not None:
            assert live is not None and memory.live is live  # taken in place
            assert "check" not in result.timings  # and no other article looked at


def test_serve_takes_text_edits_in_place_before_and_after_a_layout_change(
    make_site: MakeSite, tmp_path: Path
) -> None:
    root = _three_articles(make_site, layout='{% extends "theme/base.html" %}')
    memory = BuildMemory(long_running=True)  # as serve keeps it
    edit_below_the_lead(root, "a.md", "Markets were calm.")
    assert not build(root, BuildOptions(now=NOW), memory).failed()
    live = memory.live
    edit_below_the_lead(root, "a.md", "Markets barely moved.")
    (root / "layouts/base.html").write_text(
        '{% extends "theme/base.html" %}{% block footer %}New footer{% endblock %}'
    )
    assert not build(root, BuildOptions(now=NOW), memory).failed()
    assert live is not None and memory.live is live  # the edit taken in place
    assert site_snapshot(root / "site") == clean_build_of(root, tmp_path)
    edit_below_the_lead(root, "a.md", "Markets rose a little.")
    result = build(root, BuildOptions(now=NOW), memory)
    assert memory.live is live and site_snapshot(root / "site") == clean_build_of(root, tmp_path)
    assert 0 < result.pages_rendered < result.pages  # only the pages showing the article


def test_serve_takes_the_whole_way_where_an_edit_may_rename_an_automatic_topic(
    make_site: MakeSite,
) -> None:
    """An "Unsorted" topic is named by words weighed over every article's text. (Not
    compared with a clean build: an automatic topic, once given, stays, by design.)"""
    root = _three_articles(make_site)
    (root / "content/d.md").write_text(
        article("Comet seen", date="2024-10-30", body="Astronomers saw a bright comet at dusk.")
    )
    edit_below_the_lead(root, "a.md", "Turnout was 40 percent.")
    memory = BuildMemory(long_running=True)  # as serve keeps it
    assert not build(root, BuildOptions(now=NOW), memory).failed()
    assert memory.live is not None
    assert any(t.id.startswith("unsorted-") for t in memory.live.collection.topics)
    live = memory.live
    edit_below_the_lead(root, "a.md", "Turnout was 60 percent.")
    assert not build(root, BuildOptions(now=NOW), memory).failed()
    assert memory.live is not live
    assert "Turnout was 60 percent." in (root / "site/articles/a/index.html").read_text()


SERVE = BuildOptions(now=NOW, search=False)  # as serve builds: its search index is apart


def test_serve_takes_a_saved_article_alone_and_leaves_the_cache_files_for_when_it_is_idle(
    make_site: MakeSite, tmp_path: Path
) -> None:
    root = _three_articles(make_site)
    edit_below_the_lead(root, "a.md", "Markets were calm.")
    memory = BuildMemory(long_running=True)  # as serve keeps it
    assert not build(root, SERVE, memory).failed()
    edit_below_the_lead(root, "a.md", "Markets fell sharply.")
    result = build(root, SERVE, memory, {root / "content/a.md"})
    assert not result.failed() and "check" not in result.timings  # nothing else looked at
    assert result.changed_files == ("articles/a/index.html",)
    assert site_snapshot(root / "site") == clean_build_of(root, tmp_path, search=False)
    assert "Markets fell sharply." in (root / "site/articles/a/index.html").read_text()

    # Killed before it was idle: a new process renders every page (no key it kept is on
    # disk) and reads the saved article again.
    restarted = build(root, SERVE, BuildMemory(long_running=True))
    assert restarted.pages_rendered == restarted.pages and restarted.articles_analysed == 1

    restarted_memory = BuildMemory(long_running=True)
    assert not build(root, SERVE, restarted_memory).failed()
    edit_below_the_lead(root, "a.md", "Markets rose again.")
    result = build(root, SERVE, restarted_memory, {root / "content/a.md"})
    assert "check" not in result.timings
    save_memory(root, root / "site", restarted_memory)  # serve is idle
    after_idle = build(root, SERVE, BuildMemory(long_running=True))
    assert after_idle.pages_rendered == 0 and after_idle.articles_analysed == 0
    assert site_snapshot(root / "site") == clean_build_of(root, tmp_path, search=False)


def test_serve_shows_a_quote_edited_in_place_on_every_page_that_lists_its_story(
    make_site: MakeSite, tmp_path: Path
) -> None:
    """The pages that list a story show one card for it, made once for all of them (``memo``
    in the theme): a save taken in place makes it again."""
    root = _three_articles(make_site)
    memory = BuildMemory(long_running=True)  # as serve keeps it
    edit_below_the_lead(root, "a.md", '"We will hold firm," Governor Ana Ruiz said.')
    assert not build(root, SERVE, memory).failed()
    live = memory.live
    listings = ["topics/economy/index.html", "editions/2024-10-28/index.html"]
    assert all("We will hold firm" in (root / "site" / page).read_text() for page in listings)
    edit_below_the_lead(root, "a.md", '"We may cut in spring," Governor Ana Ruiz said.')
    assert not build(root, SERVE, memory, {root / "content/a.md"}).failed()
    assert live is not None and memory.live is live  # taken in place
    for page in listings:
        shown = (root / "site" / page).read_text()
        assert "We may cut in spring" in shown and "We will hold firm" not in shown, page
    assert site_snapshot(root / "site") == clean_build_of(root, tmp_path, search=False)


@pytest.mark.parametrize("edit", ["draft", "broken", "warning", "layout", "headline"])
def test_serve_takes_the_whole_way_for_a_save_that_is_more_than_new_text(
    make_site: MakeSite, tmp_path: Path, edit: str
) -> None:
    root = _three_articles(make_site, layout='{% extends "theme/base.html" %}')
    memory = BuildMemory(long_running=True)  # as serve keeps it
    assert not build(root, SERVE, memory).failed()
    saved = {root / "content/a.md"}
    a = root / "content/a.md"
    if edit == "draft":
        a.write_text(article("Rates held", draft="true", topics="[economy]", body="Held."))
    elif edit == "broken":
        a.write_text("---\ntitle: [unclosed\ndate: 2024-10-28\n---\nText.\n")
    elif edit == "warning":
        edit_below_the_lead(root, "a.md", "See [the filing](../filing.md).")  # outside content/
    elif edit == "layout":
        edit_below_the_lead(root, "a.md", "Markets were calm.")
        layout = root / "layouts/base.html"
        layout.write_text('{% extends "theme/base.html" %}{% block footer %}F{% endblock %}')
        saved.add(layout)
    else:
        a.write_text(article("Rates cut", topics="[economy]", source="One", body="Cut."))
    result = build(root, SERVE, memory, saved)
    assert "check" in result.timings  # every file looked at
    if edit == "broken":
        assert result.failed() and "content/a.md:2" in str(result.diagnostics[0])
        assert "Rates held" in (root / "site/articles/a/index.html").read_text()  # kept
        return
    assert not result.failed()
    assert site_snapshot(root / "site") == clean_build_of(root, tmp_path, search=False)
    if edit == "warning":
        assert any("warning" in str(d) and "a.md" in str(d) for d in result.diagnostics)


LATER = datetime(2025, 1, 6, tzinfo=UTC)  # after the story set's dates


def _stories_site(make_site: MakeSite) -> Path:
    """The 47 labelled articles of the story set (stories of one to five outlets), each
    with front-matter topics."""
    files: dict[str, str | bytes] = {"briefgen.yaml": "title: T\nbase_url: https://example.org/\n"}
    for path in sorted((REPO / "tests/fixtures/stories/content").glob("*.md")):
        text = path.read_text()
        if "\ntopics:" not in text:
            text = text.replace("\n---\n", "\ntopics: [world]\n---\n", 1)
        files[f"content/{path.name}"] = text
    return make_site(files)


def test_serve_takes_new_names_in_place_while_the_stories_stay_and_regroups_when_they_move(
    make_site: MakeSite, tmp_path: Path
) -> None:
    root = _stories_site(make_site)
    options = BuildOptions(now=LATER, search=False)  # (as serve builds)
    memory = BuildMemory(long_running=True)  # as serve keeps it
    assert not build(root, options, memory).failed()
    assert len(list((root / "site/stories").iterdir())) >= 10  # stories of several outlets
    live = memory.live
    for name in ("a01.md", "a09.md", "a04.md"):  # two outlets' reports, and a lone one
        path = root / "content" / name
        text = path.read_text()
        head, body = text.split("\n---\n", 1)
        lead, after = body.lstrip("\n").split("\n\n", 1)
        said = "Zorblat Quixano of the Ostrava Trust said the figures were checked twice."
        path.write_text(f"{head}\n---\n\n{lead}\n\n{said}\n\n{after}")
        result = build(root, options, memory, {path})
        assert not result.failed() and "check" not in result.timings  # taken in place
        assert memory.live is live
        assert site_snapshot(root / "site") == clean_build_of(root, tmp_path, False, LATER)
    # A lone report retold with the lead of another story's: it joins it, the whole way.
    lone, told = root / "content/a04.md", root / "content/a08.md"
    lead = told.read_text().split("\n---\n", 1)[1].lstrip("\n").split("\n\n", 1)[0]
    head = lone.read_text().split("\n---\n", 1)[0]
    lone.write_text(f"{head}\n---\n\n{lead}\n")
    result = build(root, options, memory, {lone})
    assert not result.failed() and "check" in result.timings


def test_a_headline_edit_that_keeps_the_stories_regroups_only_what_it_can_move(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the cache folder, as the CLI builds: headlines edited with a word no other
    article has keep every story, which the build tells without grouping every article
    again; a lead that moves an article into another story is grouped the whole way. The site
    is a clean build's either way."""
    import briefgen.collection

    groupings: list[int] = []
    whole_grouping = briefgen.collection.group_stories

    def counted(docs: Any, **kwargs: Any) -> dict[str, str]:
        groupings.append(len(docs))
        return whole_grouping(docs, **kwargs)

    monkeypatch.setattr(briefgen.collection, "group_stories", counted)
    root = _stories_site(make_site)
    options = BuildOptions(now=LATER, search=False)
    assert not build(root, options).failed()
    assert groupings == [47]
    for name in ("a01.md", "a09.md", "a04.md"):  # two outlets' reports, and a lone one
        path = root / "content" / name
        path.write_text(path.read_text().replace('\ntitle: "', '\ntitle: "Zorblat: ', 1))
        assert not build(root, options).failed()
        assert site_snapshot(root / "site") == clean_build_of(root, tmp_path, False, LATER)
        assert "Zorblat" in (root / f"site/articles/{path.stem}/index.html").read_text()
    assert groupings == [47, 47, 47, 47]  # the clean builds' only
    # A lone report retold with the lead of another story's: it joins that story (whose
    # page stays where it was: a clean build would name it after the lone report).
    lone, told = root / "content/a04.md", root / "content/a08.md"
    lead = told.read_text().split("\n---\n", 1)[1].lstrip("\n").split("\n\n", 1)[0]
    head = lone.read_text().split("\n---\n", 1)[0]
    lone.write_text(f"{head}\n---\n\n{lead}\n")
    assert 'href="../../stories/a08/"' not in (root / "site/articles/a04/index.html").read_text()
    assert not build(root, options).failed()
    assert groupings == [47] * 5  # grouped the whole way
    assert 'href="../../stories/a08/"' in (root / "site/articles/a04/index.html").read_text()


def test_random_headline_and_lead_edits_make_the_stories_a_clean_build_makes(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the cache folder, as the CLI builds: after random edits of headlines (a word
    dropped, borrowed from another headline, or coined) and of leads (another story's lead),
    the articles make the same stories as a clean build of the same files (a story keeps its
    id, so ids may differ). Both ways are taken: edits whose stories the build keeps without
    grouping every article, and edits grouped the whole way."""
    import briefgen.collection

    kept: list[bool] = []  # every answer, the clean builds' too
    taken: list[bool] = []  # the same, of the builds after the edits
    check = briefgen.collection._stories_kept

    def counted(*args: Any) -> dict[str, str] | None:
        stories = check(*args)
        kept.append(stories is not None)
        return stories

    monkeypatch.setattr(briefgen.collection, "_stories_kept", counted)
    rng = random.Random(11)
    root = _stories_site(make_site)
    options = BuildOptions(now=LATER, search=False)
    assert not build(root, options).failed()
    paths = sorted((root / "content").glob("*.md"))

    def parts(path: Path) -> tuple[list[str], str, str]:
        head, body = path.read_text().split("\n---\n", 1)
        lead, after = (body.lstrip("\n") + "\n\n").split("\n\n", 1)
        return head.split("\n"), lead, after

    def title_line(lines: list[str]) -> int:
        return next(i for i, line in enumerate(lines) if line.startswith("title: "))

    for step in range(10):
        for path in rng.sample(paths, rng.choice([1, 1, 2])):
            lines, lead, after = parts(path)
            at = title_line(lines)
            words = lines[at].removeprefix("title: ").strip('"').split()
            change = rng.choice(["drop", "borrow", "coin", "lead"])
            if change == "drop" and len(words) > 3:
                words.pop()
            elif change == "borrow":
                other, _, _ = parts(rng.choice(paths))
                words.append(rng.choice(other[title_line(other)].split()[1:]).strip('"'))
            elif change == "coin":
                words.insert(0, "Zor" + "".join(rng.choice("bdgklmnprstvz") for _ in range(5)))
            else:
                _, lead, _ = parts(rng.choice(paths))
            lines[at] = 'title: "' + " ".join(words).replace('"', "") + '"'
            path.write_text("\n".join(lines) + f"\n---\n\n{lead}\n\n{after}")
        called = len(kept)
        assert not build(root, options).failed()
        taken += kept[called:]
        clean_build_of(root, tmp_path, False, LATER)
        assert _stories_of(root) == _stories_of(tmp_path / "fresh"), f"step {step}"
    assert True in taken and False in taken, taken


def test_a_layout_edit_shows_the_story_merges_the_last_build_kept_and_an_edit_merges_again(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full re-render (a layout edit) shows each story's merged key points without merging
    them again: the build before kept them (made in its render workers), by what their
    articles' files hold. An edited article's story is merged again; a damaged file of
    merges costs time only. The site is a clean build's each time."""
    import briefgen.collection

    monkeypatch.setattr(sys.modules["briefgen.build_steps"], "_KEEP_MERGES_FROM", 0)  # a small site
    merged: list[frozenset[str]] = []
    merge = briefgen.collection.merge_points

    def counted(reports: Any) -> Any:
        if len(reports) > 1:
            merged.append(frozenset(path for path, _ in reports))
        return merge(reports)

    monkeypatch.setattr(briefgen.collection, "merge_points", counted)
    root = _stories_site(make_site)
    layout = root / "layouts/base.html"
    layout.parent.mkdir()
    layout.write_text("{% extends 'theme/base.html' %}")
    assert not build(root, BuildOptions(now=LATER, search=False, jobs=2)).failed()  # (workers)
    stories = _stories_of(root)
    assert len(stories) >= 10 and merged == []  # merged in the render workers, not here
    options = BuildOptions(now=LATER, search=False, jobs=1)  # (merges counted here)

    def rebuilt_with_footer(words: str) -> list[frozenset[str]]:
        merged.clear()
        layout.write_text(
            f"{{% extends 'theme/base.html' %}}{{% block footer %}}{words}{{% endblock %}}"
        )
        assert not build(root, options).failed()
        assert site_snapshot(root / "site") == clean_build_of(root, tmp_path, False, LATER)
        return list(merged)

    assert rebuilt_with_footer("Desk one") == []  # every merge as the last build kept it
    story = sorted(stories, key=sorted)[0]
    edited = root / "content" / sorted(story)[0]
    edited.write_text(edited.read_text().replace("\n---\n", "\n---\n\nA new first line.\n", 1))
    merged.clear()
    assert not build(root, options).failed()
    assert merged == [story]  # that story's articles changed: merged again, the others not
    assert site_snapshot(root / "site") == clean_build_of(root, tmp_path, False, LATER)
    assert rebuilt_with_footer("Desk two") == []
    (root / ".briefgen-cache/story-points.pickle").write_bytes(b"not a pickle")
    assert set(rebuilt_with_footer("Desk three")) == stories


def _stories_of(root: Path) -> set[frozenset[str]]:
    """Which articles make each story (of several articles), whatever its id."""
    members: dict[str, set[str]] = {}
    for rel_path, story in load_state(root).story_ids.items():
        members.setdefault(story, set()).add(rel_path)
    return {frozenset(articles) for articles in members.values() if len(articles) > 1}


def test_serve_reads_a_burst_of_many_saves_the_whole_way(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A branch checked out saves thousands of articles at once: those are read over every
    core, not one by one."""
    monkeypatch.setattr(sys.modules["briefgen.build_steps"], "_SAVES_TAKEN_ALONE", 1)
    root = _three_articles(make_site)
    memory = BuildMemory(long_running=True)  # as serve keeps it
    assert not build(root, SERVE, memory).failed()
    edit_below_the_lead(root, "a.md", "Markets were calm.")
    edit_below_the_lead(root, "c.md", "Unions objected loudly.")
    result = build(root, SERVE, memory, {root / "content/a.md", root / "content/c.md"})
    assert not result.failed() and "check" in result.timings
    assert site_snapshot(root / "site") == clean_build_of(root, tmp_path, search=False)


def _counting_collects(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path, BuildOptions], bool]:
    """A build of a site that says whether it collected the articles from nothing."""
    steps = sys.modules["briefgen.build_steps"]
    calls: list[int] = []
    whole = steps.collect

    def counted(*args: Any) -> Any:
        calls.append(1)
        return whole(*args)

    monkeypatch.setattr(steps, "collect", counted)

    def collected(root: Path, options: BuildOptions) -> bool:
        before = len(calls)
        assert not build(root, options).failed()
        return len(calls) > before

    return collected


def _below_the_lead(path: Path, words: str) -> None:
    """``words`` added at the end of an article: its place and lead stay."""
    path.write_text(path.read_text().rstrip("\n") + f"\n\n{words}\n")


def _keys_as_made_the_whole_way(root: Path, options: BuildOptions) -> None:
    """The page keys the last build recorded (made from the digests kept with the collection,
    but those of the edited articles' labels) are those a build with --rebuild makes."""
    made = load_page_keys(root, root / "site")
    assert not build(root, replace(options, rebuild=True)).failed()
    assert made == load_page_keys(root, root / "site")


def test_a_body_edit_takes_the_last_builds_collection_and_the_site_is_a_clean_builds(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """From the cache folder, as the CLI builds: an edit below an article's lead leaves every
    article where it stood, and the build takes the collection the last one kept instead of
    collecting every article again; the edit shows on the article's page, and the site is a
    clean build's, its page keys too. So it is after a layout edit. An edit that moves an
    article (a new headline) collects again."""
    collected = _counting_collects(monkeypatch)
    root = _stories_site(make_site)
    options = BuildOptions(now=LATER, search=False)
    assert collected(root, options)
    story_ids = load_state(root).story_ids
    shared = [
        rel
        for rel in sorted(story_ids)
        if list(story_ids.values()).count(story_ids[rel]) > 1
        # (a lead of two sentences before the edit: what story grouping reads stays)
        and (root / "content" / rel).read_text().split("\n---\n", 1)[1].count(". ") >= 2
    ]
    assert len(shared) >= 3
    for step, rel in enumerate(shared[:3]):
        said = f"the count was checked {step + 2} times over."
        _below_the_lead(root / "content" / rel, said)
        assert not collected(root, options)  # the kept collection served
        assert said in (root / f"site/articles/{rel[:-3]}/index.html").read_text()
        assert site_snapshot(root / "site") == clean_build_of(root, tmp_path, False, LATER)
        _keys_as_made_the_whole_way(root, options)
    # A layout edit renders every page again, from the collection kept.
    (root / "layouts").mkdir()
    (root / "layouts/base.html").write_text(
        "{% extends 'theme/base.html' %}{% block footer %}Desk one{% endblock %}"
    )
    assert not collected(root, options)
    assert "Desk one" in (root / "site/index.html").read_text()
    assert site_snapshot(root / "site") == clean_build_of(root, tmp_path, False, LATER)
    _keys_as_made_the_whole_way(root, options)
    moved = root / "content" / shared[0]  # (listed under another headline)
    moved.write_text(moved.read_text().replace('\ntitle: "', '\ntitle: "Zorblat: ', 1))
    assert collected(root, options)
    assert site_snapshot(root / "site") == clean_build_of(root, tmp_path, False, LATER)


@pytest.mark.parametrize(
    "change",
    ["new article", "removed article", "title", "lead", "config", "note", "damaged", "rebuild"],
)
def test_what_may_move_an_article_collects_again(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    """The kept collection serves only where collecting would make it again: a change of the
    articles' set, an article's title or lead (what story grouping reads), the config or an
    edition note collects every article, as does --rebuild; a damaged file costs only time.
    The site is a clean build's each time."""
    collected = _counting_collects(monkeypatch)
    root = _three_articles(make_site)
    edit_below_the_lead(root, "c.md", "Unions objected.")
    assert collected(root, SERVE)
    options = SERVE
    if change == "new article":
        d = article("Mine opened", date="2024-10-31", topics="[economy]")
        (root / "content/d.md").write_text(d)
    elif change == "removed article":
        (root / "content/b.md").unlink()
    elif change == "title":
        a = root / "content/a.md"
        a.write_text(a.read_text().replace("Rates held", "Rates held again"))
    elif change == "lead":
        a = root / "content/a.md"
        a.write_text(a.read_text().replace("The central bank held", "The central bank kept"))
    elif change == "config":
        config = root / "briefgen.yaml"
        config.write_text(config.read_text() + "story_window_days: 5\n")
    elif change == "note":
        (root / "content/_editions").mkdir()
        (root / "content/_editions/2024-10-28.md").write_text("A quiet day.\n")
    elif change == "damaged":
        (root / ".briefgen-cache/collection.pickle").write_bytes(b"\x80\x05not a pickle")
        _below_the_lead(root / "content/a.md", "Markets were calm.")
    else:
        _below_the_lead(root / "content/a.md", "Markets were calm.")
        options = BuildOptions(now=NOW, search=False, rebuild=True)
    assert collected(root, options)
    assert site_snapshot(root / "site") == clean_build_of(root, tmp_path, search=False)
    edit_below_the_lead(root, "c.md", "Unions objected loudly.")
    assert not collected(root, SERVE)  # the next body edit takes what that build kept
    assert site_snapshot(root / "site") == clean_build_of(root, tmp_path, search=False)


def test_a_body_edit_makes_only_the_pages_it_renders_unless_the_site_has_a_problem(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A body edit on the collection the last build kept makes the site model of the pages it
    renders only: the last build's pages and keys, kept with the collection, say which those
    are. The site is a clean build's, its page keys too. A site whose pages have a problem (a
    broken link) makes every page, and reports the problem each time."""
    steps = sys.modules["briefgen.build_steps"]
    made: list[int | None] = []  # each model's number of pages asked for (None: all)
    whole = steps.build_site_model

    def counted(*args: Any) -> Any:
        made.append(None if len(args) < 5 or args[4] is None else len(args[4]))
        return whole(*args)

    monkeypatch.setattr(steps, "build_site_model", counted)
    root = _stories_site(make_site)
    options = BuildOptions(now=LATER, search=False)
    assert not build(root, options).failed()
    assert made == [None]
    for step, name in enumerate(("a01.md", "a04.md")):  # (a story of two outlets, a lone one)
        said = f"The figures were checked {step + 2} times over."
        _below_the_lead(root / "content" / name, said)
        result = build(root, options)
        assert not result.failed() and result.collection_kept
        assert made[-1] == result.pages_rendered < result.pages / 4
        assert said in (root / f"site/articles/{name[:-3]}/index.html").read_text()
        assert site_snapshot(root / "site") == clean_build_of(root, tmp_path, False, LATER)
        _keys_as_made_the_whole_way(root, options)
    broken = root / "content/a02.md"
    broken.write_text(broken.read_text() + "\nSee [the filing](gone.md).\n")
    build(root, options)  # (an error: the site is written all the same)
    del made[:]
    _below_the_lead(broken, "The filing was withdrawn.")
    result = build(root, options)
    assert result.collection_kept and made == [None]
    assert [d.path for d in result.diagnostics if "gone.md" in d.message] == ["content/a02.md"]
    assert "The filing was withdrawn." in (root / "site/articles/a02/index.html").read_text()
