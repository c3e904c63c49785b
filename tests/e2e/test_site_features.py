"""Site features a user configures: static files, link style, overrides, the page model."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path

import pytest

from briefgen.build import BuildOptions, build
from briefgen.collection import collect
from briefgen.config import load_config
from briefgen.content import read_article
from briefgen.reading import analyze_article
from briefgen.render import Renderer
from briefgen.sitemodel import build_site_model
from tests.conftest import article

NOW = datetime(2024, 11, 2, tzinfo=UTC)
MakeSite = Callable[[Mapping[str, str | bytes]], Path]
BASE = {
    "briefgen.yaml": "title: T\nbase_url: https://example.org/news/\n",
    "content/a.md": article(
        "Alpha", topics="[economy]", body="Prices rose sharply in October across the region."
    ),
}


def test_a_sites_static_folder_is_copied_and_overrides_the_theme(make_site: MakeSite) -> None:
    root = make_site(
        {
            **BASE,
            "static/assets/style.css": "body { color: red }",
            "static/favicon.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        }
    )
    build(root, BuildOptions(now=NOW))
    assert (root / "site/assets/style.css").read_text() == "body { color: red }"
    assert (root / "site/favicon.svg").is_file()


def test_links_files_makes_every_page_link_end_in_index_html(make_site: MakeSite) -> None:
    root = make_site({**BASE, "briefgen.yaml": "title: T\nlinks: files\n"})
    build(root, BuildOptions(now=NOW))
    front = (root / "site/index.html").read_text()
    assert 'href="topics/economy/index.html"' in front
    assert 'href="archive/index.html"' in front
    assert 'href="topics/economy/"' not in front


def test_a_layout_links_pages_with_the_url_helpers_as_filters_or_as_functions(
    make_site: MakeSite,
) -> None:
    footer = (
        "{% extends 'theme/base.html' %}{% block footer %}"
        "<p id=filters>{{ 'archive/'|url }} {{ 'economy'|topic_url|url }}"
        " {% if item is defined %}{{ item|article_url|url }}{% endif %}</p>"
        "<p id=functions>{{ url('archive/') }} {{ url(topic_url('economy')) }}"
        " {% if item is defined %}{{ url(article_url(item)) }}{% endif %}</p>"
        "<p id=asset>{{ asset('assets/style.css')|url }}</p>{% endblock %}"
    )
    root = make_site(
        {**BASE, "briefgen.yaml": "title: T\nlinks: files\n", "layouts/base.html": footer}
    )
    assert not build(root, BuildOptions(now=NOW)).failed()
    page = (root / "site/articles/a/index.html").read_text()
    links = "../../archive/index.html ../../topics/economy/index.html index.html"
    assert f"<p id=filters>{links}</p>" in page
    assert f"<p id=functions>{links}</p>" in page
    assert re.search(r"<p id=asset>\.\./\.\./assets/style\.[0-9a-f]+\.css</p>", page)
    front = (root / "site/index.html").read_text()
    assert "<p id=filters>archive/index.html topics/economy/index.html </p>" in front


def test_a_layout_shows_a_quote_with_the_themes_figure_by_call_or_with_a_context_link(
    make_site: MakeSite,
) -> None:
    footer = (
        "{% extends 'theme/base.html' %}{% from '_quote.html' import quote_figure %}"
        "{% block footer %}"
        "{% call quote_figure('We are ready.', 'Ana Ruiz') %}, as told to us{% endcall %}"
        "{{ quote_figure('Not yet.', None, context='#q1') }}{% endblock %}"
    )
    root = make_site({**BASE, "layouts/base.html": footer})
    assert not build(root, BuildOptions(now=NOW)).failed()
    page = (root / "site/articles/a/index.html").read_text()
    figures = re.findall(r"<figure class=\"quote\">(.*?)</figure>", page, re.S)
    assert "<p>We are ready.</p>" in figures[-2]
    assert "<figcaption>— Ana Ruiz, as told to us</figcaption>" in figures[-2]
    assert '<figcaption>— Unattributed · <a href="#q1">in context</a></figcaption>' in figures[-1]


def test_a_layouts_fixed_path_made_absolute_follows_a_new_base_url(make_site: MakeSite) -> None:
    footer = (
        "{% extends 'theme/base.html' %}"
        "{% block footer %}<p id=feed>{{ 'feed.xml'|absolute }}</p>{% endblock %}"
    )
    root = make_site({**BASE, "layouts/base.html": footer})
    assert not build(root, BuildOptions(now=NOW)).failed()
    assert (
        "<p id=feed>https://example.org/news/feed.xml</p>" in (root / "site/index.html").read_text()
    )
    (root / "briefgen.yaml").write_text("title: T\nbase_url: https://other.example/\n")
    assert not build(root, BuildOptions(now=NOW)).failed()  # (the same compiled layout)
    assert "<p id=feed>https://other.example/feed.xml</p>" in (root / "site/index.html").read_text()


def test_templates_compiled_by_another_version_of_briefgen_are_not_used(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A compiled template calls briefgen's filters as the code it was compiled with defined
    # them (say, with the page's context or without), and Jinja checks only its source.
    root = make_site(BASE)
    assert not build(root, BuildOptions(now=NOW)).failed()
    templates = root / ".briefgen-cache/templates"
    [compiled] = templates.glob("compiled-*")
    assert any(compiled.iterdir())
    monkeypatch.setattr(sys.modules["briefgen.build_steps"], "code_digest", lambda: "f" * 64)
    (root / "content/b.md").write_text(article("Beta", body="Rates were held in November."))
    assert not build(root, BuildOptions(now=NOW)).failed()
    assert [p.name for p in templates.glob("compiled-*")] == ["compiled-ffffffffffffffff"]
    assert any((templates / "compiled-ffffffffffffffff").iterdir())


def test_front_matter_key_points_and_quotes_override_the_analysis(make_site: MakeSite) -> None:
    root = make_site(
        {
            **BASE,
            "content/b.md": article(
                "Beta",
                body='Prices rose. "We will act," Jane Roe said. Markets fell.',
                key_points='["Markets fell."]',
                quotes='[{text: "We will act", speaker: "Jane Q. Roe"}]',
            ),
        }
    )
    build(root, BuildOptions(now=NOW))
    page = (root / "site/articles/b/index.html").read_text()
    assert "<li>Markets fell.</li>" in page and "<li>Prices rose.</li>" not in page
    assert "— Jane Q. Roe" in page


def test_canonical_and_feed_links_use_base_url_while_page_links_stay_relative(
    make_site: MakeSite,
) -> None:
    root = make_site(BASE)
    build(root, BuildOptions(now=NOW))
    page = (root / "site/articles/a/index.html").read_text()
    assert '<link rel="canonical" href="https://example.org/news/articles/a/">' in page
    assert re.search(r'href="../../assets/style\.[0-9a-f]{10}\.css"', page)
    body = page[page.index("<body>") :]  # (the head's metadata for machines is absolute)
    assert "https://example.org/news/" not in body


def test_each_page_records_what_it_was_made_from_and_its_templates(make_site: MakeSite) -> None:
    root = make_site({**BASE, "layouts/base.html": '{% extends "theme/base.html" %}'})
    config, _ = load_config(root)
    item = read_article(config.content_dir, "a.md", config, "content/a.md")
    collection = collect([(item, analyze_article(item, config))], config)
    model = build_site_model(collection, config, NOW, {})
    pages = {p.url: p for p in model.pages}
    assert "article:a.md" in pages["articles/a/"].depends_on
    assert "story:a" in pages[""].depends_on and "story:a" in pages["topics/economy/"].depends_on
    assert "article:a.md" not in pages["archive/"].depends_on
    rendered = Renderer(config, collection, NOW).render(pages["articles/a/"])
    assert {"article.html", "base.html", "theme/base.html"} <= rendered.templates


def test_an_alias_leads_from_an_old_url_to_the_article(make_site: MakeSite) -> None:
    root = make_site({**BASE, "content/b.md": article("Beta", aliases="[old/beta-story]")})
    build(root, BuildOptions(now=NOW))
    redirect = (root / "site/old/beta-story/index.html").read_text()
    assert 'content="0; url=../../articles/b/"' in redirect


def test_an_article_in_another_language_gets_lead_points_and_a_warning(
    make_site: MakeSite,
) -> None:
    body = (
        "Le gouvernement a présenté mardi un budget qui prévoit de fortes hausses d'impôts. "
        "Les entreprises devront payer davantage de cotisations dès le mois d'avril prochain. "
        "« Nous devons redresser les comptes publics », a déclaré la ministre Anne Martin. "
        "Les syndicats ont critiqué un texte qu'ils jugent injuste pour les salariés modestes. "
        "Le débat commencera à l'Assemblée nationale la semaine prochaine selon le calendrier."
    )
    root = make_site({**BASE, "content/fr.md": article("Budget", lang="fr", body=body)})
    result = build(root, BuildOptions(now=NOW))
    assert not result.failed()
    assert any("content/fr.md" in str(d) and "'fr'" in d.message for d in result.diagnostics)
    page = (root / "site/articles/fr/index.html").read_text()
    assert "<li>Le gouvernement a présenté mardi un budget" in page
    assert "Nous devons redresser les comptes publics" in page


def test_an_outlets_page_lists_page_size_articles_and_links_the_rest(
    make_site: MakeSite,
) -> None:
    files: dict[str, str | bytes] = {
        "briefgen.yaml": "title: T\npage_size: 2\ntopics:\n  economy:\n"
    }
    for n in range(5):
        files[f"content/w{n}.md"] = article(
            f"Wire report {n}",
            date=f"2024-10-{20 + n}",
            source="Northline Wire",
            topics="[economy]",
            body=f"Report number {n} about harvest number {n * 7} in the northern valleys.",
        )
    root = make_site(files)
    build(root, BuildOptions(now=NOW))
    first = (root / "site/sources/northline-wire/index.html").read_text()
    assert "Wire report 4" in first and "Wire report 3" in first and "Wire report 2" not in first
    assert "5 articles · page 1 of 3" in first and 'rel="next" href="page/2/"' in first
    third = (root / "site/sources/northline-wire/page/3/index.html").read_text()
    assert "Wire report 0" in third and 'rel="prev" href="../2/"' in third
    # A new title for the oldest article shows on its page of the list; the others stay.
    (root / "content/w0.md").write_text(
        article(
            "Wire report 0, revised",
            date="2024-10-20",
            source="Northline Wire",
            topics="[economy]",
            body="Report number 0 about harvest number 0 in the northern valleys.",
        )
    )
    build(root, BuildOptions(now=NOW))
    assert (root / "site/sources/northline-wire/index.html").read_text() == first
    assert (
        "Wire report 0, revised"
        in (root / "site/sources/northline-wire/page/3/index.html").read_text()
    )


def test_stylesheets_and_scripts_are_linked_by_a_name_that_changes_with_their_bytes(
    make_site: MakeSite,
) -> None:
    root = make_site(BASE)
    build(root, BuildOptions(now=NOW))
    site = root / "site"

    def linked() -> str:
        page = (site / "articles/a/index.html").read_text()
        (name,) = re.findall(
            r'<link rel="stylesheet" href="../../(assets/style\.[0-9a-f]{10}\.css)">', page
        )
        return name

    first = linked()
    assert (site / first).read_bytes() == (site / "assets/style.css").read_bytes()
    (root / "static/assets").mkdir(parents=True)
    (root / "static/assets/style.css").write_text("body { color: teal; }\n")
    build(root, BuildOptions(now=NOW))
    second = linked()
    assert second != first and (site / second).read_text() == "body { color: teal; }\n"
    assert not (site / first).exists()  # the old name is gone with the old bytes
    assert second in (site / "index.html").read_text()  # every page links the new name


def test_the_navigation_marks_the_topic_of_the_page_on_every_page_of_that_topic(
    make_site: MakeSite,
) -> None:
    files: dict[str, str | bytes] = {
        "briefgen.yaml": "title: T\npage_size: 2\ntopics:\n  economy:\n  health:\n"
    }
    economy = [("Rates held", "The bank held rates."), ("Port sold", "A port was sold.")]
    economy.append(("Wheat output fell", "Farmers harvested less wheat."))
    for n, (title, body) in enumerate(economy):
        files[f"content/e{n}.md"] = article(
            title, date=f"2024-10-2{n}", topics="[economy]", body=body
        )
    files["content/h.md"] = article("Clinic opens", topics="[health]", body="A clinic opened.")
    root = make_site(files)
    assert not build(root, BuildOptions(now=NOW)).failed()

    def current(page: str) -> list[str]:
        html = (root / "site" / page).read_text()
        return re.findall(r'<a href="([^"]*)" aria-current="page">', html)

    assert current("topics/economy/index.html") == ["./"]
    assert current("topics/economy/page/2/index.html") == ["../../"]
    assert current("topics/health/index.html") == ["./"]
    assert current("index.html") == current("articles/e0/index.html") == []
    nav = re.findall(r'<li><a href="([^"]*)"', (root / "site/articles/e0/index.html").read_text())
    assert nav[:3] == ["../../topics/economy/", "../../topics/health/", "../../archive/"]


def test_a_layouts_fragment_made_once_with_memo_links_right_from_every_page(
    make_site: MakeSite,
) -> None:
    """``memo(macro, ...)`` makes a fragment once for the pages on which its links come out
    the same, and again where they do not (another depth, or a link to the page's own
    folder); different arguments, different fragments."""
    layout = (
        "{% extends 'theme/base.html' %}"
        "{% macro crumbs(label) %}<p class=crumbs>{{ label }}: {{ 'archive/'|url }} "
        "{{ url('topics/economy/') }}</p>{% endmacro %}"
        "{% block footer %}{{ memo(crumbs, 'Home') }}{{ memo(crumbs, page.title) }}{% endblock %}"
    )
    root = make_site(
        {
            **BASE,
            "content/b.md": article("Beta", topics="[economy]", body="Exports fell in October."),
            "layouts/base.html": layout,
        }
    )
    assert not build(root, BuildOptions(now=NOW)).failed()

    def crumbs(page: str) -> list[str]:
        return re.findall(r"<p class=crumbs>(.*?)</p>", (root / "site" / page).read_text())

    assert crumbs("index.html") == [
        "Home: archive/ topics/economy/",
        "T: archive/ topics/economy/",
    ]
    assert crumbs("articles/a/index.html") == [
        "Home: ../../archive/ ../../topics/economy/",
        "Alpha: ../../archive/ ../../topics/economy/",
    ]
    assert crumbs("articles/b/index.html")[1] == "Beta: ../../archive/ ../../topics/economy/"
    assert crumbs("topics/economy/index.html")[0] == "Home: ../../archive/ ./"
    assert crumbs("archive/index.html")[0] == "Home: ./ ../topics/economy/"


def test_an_article_page_describes_the_article_to_search_engines_as_json_ld(
    make_site: MakeSite,
) -> None:
    root = make_site(
        {
            "briefgen.yaml": "title: T\nbase_url: https://example.org/news/\ntopics:\n"
            "  economy:\n    label: The Economy\n",
            "content/a.md": article(
                "Rates held",
                date="2024-10-28T09:30:00+00:00",
                updated="2024-10-29T08:00:00+00:00",
                topics="[economy]",
                author="Ana Ruiz",
                source="Northline Wire",
                url="https://wire.example/rates",
                body="The central bank held rates at 5% on Monday, as markets had expected.",
            ),
            "content/b.md": article(
                "Port sold", lang="fr", topics="[economy]", body="Le port a été vendu lundi."
            ),
        }
    )
    assert not build(root, BuildOptions(now=NOW)).failed()

    def described(page: str) -> dict[str, object]:
        html = (root / "site/articles" / page / "index.html").read_text()
        found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        assert found, page
        data: dict[str, object] = json.loads(found.group(1))
        return data

    rates = described("a")
    assert rates == {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": "Rates held",
        "datePublished": "2024-10-28T09:30:00+00:00",
        "dateModified": "2024-10-29T08:00:00+00:00",
        "inLanguage": "en",
        "description": rates["description"],
        "articleSection": ["The Economy"],
        "author": {"@type": "Person", "name": "Ana Ruiz"},
        "publisher": {"@type": "Organization", "name": "Northline Wire"},
        "isBasedOn": "https://wire.example/rates",
        "url": "https://example.org/news/articles/a/",
        "mainEntityOfPage": "https://example.org/news/articles/a/",
    }
    assert "held rates at 5%" in str(rates["description"])
    port = described("b")
    assert port["inLanguage"] == "fr" and port["articleSection"] == ["The Economy"]
    assert port["datePublished"] == port["dateModified"]
    assert not {"author", "publisher", "isBasedOn"} & set(port)


def test_a_memo_fragment_inside_another_links_right_from_every_page(make_site: MakeSite) -> None:
    """A fragment made with ``memo`` that shows another (taken again from an earlier call)
    links as its page needs: the inner fragment's links count as the outer one's."""
    layout = (
        "{% extends 'theme/base.html' %}"
        "{% macro inner() %}{{ 'archive/'|url }}{% endmacro %}"
        "{% macro outer() %}<p class=outer>[{{ memo(inner) }}]</p>{% endmacro %}"
        "{% block footer %}{{ memo(inner) }}{{ memo(outer) }}{% endblock %}"
    )
    root = make_site({**BASE, "layouts/base.html": layout})
    assert not build(root, BuildOptions(now=NOW)).failed()

    def outer(page: str) -> list[str]:
        return re.findall(r"<p class=outer>(.*?)</p>", (root / "site" / page).read_text())

    assert outer("index.html") == ["[archive/]"]
    assert outer("articles/a/index.html") == ["[../../archive/]"]
