"""briefgen publish to a folder and to a git branch: real folders, a real bare repository."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

from briefgen.cli import main
from briefgen.publish.plan import MANIFEST, PublishRefused, plan_publish
from briefgen.publish.run import PublishOptions, publish
from tests.conftest import article

MakeSite = Callable[[Mapping[str, str | bytes]], Path]
FILES: dict[str, str | bytes] = {
    "briefgen.yaml": "title: Desk\nbase_url: https://example.org/\n",
    "content/a.md": article("Rates held", source="One", body="The bank held rates on Monday."),
    "content/b.md": article("Harvest down", source="Two", body="Wheat output fell by a third."),
    "content/c.md": article("Port reopens", source="One", body="Ships docked again on Friday."),
}


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and ".git" not in p.parts
    }


def _site(root: Path) -> dict[str, bytes]:
    files = _files(root / "site")
    files.pop(".briefgen-output")
    return files


def _git(*args: str, cwd: Path | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


# --- a folder -------------------------------------------------------------------------------


def test_a_folder_gets_the_site_then_only_what_changed(make_site: MakeSite, tmp_path: Path) -> None:
    root, target = make_site(FILES), tmp_path / "www"
    first = publish(root, PublishOptions(f"dir:{target}"))
    published = _files(target)
    assert published.pop(MANIFEST) and published == _site(root)
    assert len(first.report.uploads) == len(published)
    (root / "content/a.md").write_text(
        article("Rates held", source="One", body="The bank held rates on Monday, again.")
    )
    second = publish(root, PublishOptions(f"dir:{target}"))
    assert "articles/a/index.html" in second.report.uploads
    assert len(second.report.uploads) < 15 and second.report.unchanged > 20
    assert second.report.bytes_up < first.report.bytes_up / 5
    published = _files(target)
    published.pop(MANIFEST)
    assert published == _site(root)


def test_files_someone_else_put_there_stay_unless_delete(
    make_site: MakeSite, tmp_path: Path
) -> None:
    root, target = make_site(FILES), tmp_path / "www"
    publish(root, PublishOptions(f"dir:{target}"))
    (target / "their-page.html").write_text("theirs")
    (root / "content/c.md").unlink()
    done = publish(root, PublishOptions(f"dir:{target}"))
    assert "articles/c/index.html" in done.report.deletions  # briefgen's: gone with the article
    assert (target / "their-page.html").read_text() == "theirs" and done.report.foreign == 1
    assert not (target / "articles/c").exists()
    publish(root, PublishOptions(f"dir:{target}", delete=True))
    assert not (target / "their-page.html").exists()


def test_a_dry_run_lists_what_would_move_and_changes_nothing(
    make_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, target = make_site(FILES), tmp_path / "www"
    publish(root, PublishOptions(f"dir:{target}"))
    before = {p: p.stat().st_mtime_ns for p in target.rglob("*")}
    (root / "content/b.md").write_text(article("Harvest up", source="Two", body="Output rose."))
    assert main(["publish", str(root), f"dir:{target}", "--dry-run"]) == 0
    said = capsys.readouterr()
    assert "would upload  articles/b/index.html" in said.out
    assert "dry run, nothing changed" in said.err
    assert {p: p.stat().st_mtime_ns for p in target.rglob("*")} == before
    real = publish(root, PublishOptions(f"dir:{target}"))
    listed = [line.split()[-1] for line in said.out.splitlines() if "upload" in line]
    assert sorted(listed) == sorted(real.report.uploads)  # exactly what a real run did


def test_a_folder_briefgen_did_not_publish_to_is_refused(
    make_site: MakeSite, tmp_path: Path
) -> None:
    root, target = make_site(FILES), tmp_path / "www"
    target.mkdir()
    (target / "index.html").write_text("someone's site")
    with pytest.raises(PublishRefused, match=r"no \.briefgen-manifest\.json"):
        publish(root, PublishOptions(f"dir:{target}"))
    assert _files(target) == {"index.html": b"someone's site"}
    publish(root, PublishOptions(f"dir:{target}", force=True))
    assert (target / MANIFEST).is_file()


def test_a_publish_that_would_delete_much_stops_and_asks_for_force(
    make_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = "title: Desk\npublish:\n  www:\n    to: dir:www\n    max_deletes: 3\n"
    root = make_site({**FILES, "briefgen.yaml": config})
    assert main(["publish", str(root)]) == 0  # the config's first target
    (root / "content/b.md").unlink()
    (root / "content/c.md").unlink()
    before = _files(root / "www")
    assert main(["publish", str(root), "www"]) == 1
    assert "would delete" in capsys.readouterr().err and _files(root / "www") == before
    assert main(["publish", str(root), "www", "--force"]) == 0
    assert not (root / "www/articles/b").exists()


def test_a_failed_build_is_not_published(
    make_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root, target = make_site(FILES), tmp_path / "www"
    (root / "layouts").mkdir()
    (root / "layouts/base.html").write_text("{% block main %}")  # unclosed
    assert main(["publish", str(root), f"dir:{target}"]) == 1
    assert "the build failed, so nothing was published" in capsys.readouterr().err
    assert not target.exists()


def test_a_publish_stopped_midway_leaves_a_whole_site_and_the_next_completes_it(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, target = make_site(FILES), tmp_path / "www"
    publish(root, PublishOptions(f"dir:{target}"))
    old = _files(target)
    (root / "content/d.md").write_text(
        article("Storm nears", date="2024-10-29", source="Two", body="Winds rose overnight.")
    )
    (root / "content/a.md").unlink()
    import briefgen.publish.folder as folder

    landed: list[Path] = []
    real_land = folder._land

    def failing(data: bytes, destination: Path) -> None:
        if len(landed) == 3:
            raise OSError("the disk is full")
        landed.append(destination)
        real_land(data, destination)

    monkeypatch.setattr(folder, "_land", failing)
    assert main(["publish", str(root), f"dir:{target}"]) == 1  # never a success message
    now = _files(target)
    assert set(old) <= set(now)  # nothing deleted yet: every old page is there
    for path, data in now.items():  # each file whole: old or new bytes
        assert data == old.get(path) or data == _site(root).get(path), path
    for page in (p for p in now if p.endswith(".html")):
        for link in _relative_links(now[page].decode()):
            assert _resolves(target, page, link), (page, link)
    monkeypatch.setattr(folder, "_land", real_land)
    publish(root, PublishOptions(f"dir:{target}"))
    now = _files(target)
    now.pop(MANIFEST)
    assert now == _site(root)


def _relative_links(page: str) -> list[str]:
    import re

    return [
        link
        for link in re.findall(r'(?:href|src)="([^"#?]+)', page)
        if "://" not in link and not link.startswith(("mailto:", "/"))
    ]


def _resolves(target: Path, page: str, link: str) -> bool:
    path = (target / page).parent / link
    return path.is_file() or (path / "index.html").is_file()


# --- a git branch ---------------------------------------------------------------------------


def test_a_branch_holds_the_site_and_a_second_commit_changes_only_what_changed(
    make_site: MakeSite, tmp_path: Path
) -> None:
    root, remote = make_site(FILES), tmp_path / "remote.git"
    _git("init", "--quiet", "--bare", str(remote))
    publish(root, PublishOptions(f"git:{remote}"))
    tree = set(_git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split())
    assert tree == set(_site(root)) | {".nojekyll", MANIFEST}
    (root / "content/b.md").write_text(
        article("Harvest down", source="Two", body="Wheat output fell by a third, it said.")
    )
    done = publish(root, PublishOptions(f"git:{remote}", message="Evening update"))
    changed = _git("diff", "--name-only", "gh-pages~1", "gh-pages", cwd=remote).split()
    assert "articles/b/index.html" in changed and MANIFEST in changed
    others = [p for p in changed if p.startswith(("articles/a/", "articles/c/", "sources/one/"))]
    assert others == [] and len(changed) < 20, changed  # only what shows the edited article
    assert _git("log", "-1", "--format=%s", "gh-pages", cwd=remote).strip() == "Evening update"
    assert done.report.detail.startswith("commit ")
    assert len(_git("rev-list", "gh-pages", cwd=remote).split()) == 2  # history kept


def test_publishing_to_a_branch_of_the_users_own_repository_leaves_their_checkout(
    make_site: MakeSite,
) -> None:
    config = "title: Desk\npublish:\n  pages:\n    to: 'git:.'\n    cname: news.example.org\n"
    ignored = "site/\n.site.*\n.briefgen-cache/\n"  # what a build makes, as usual
    root = make_site({**FILES, "briefgen.yaml": config, ".gitignore": ignored})
    _git("init", "--quiet", "-b", "main", cwd=root)
    _git("add", "content", "briefgen.yaml", ".gitignore", cwd=root)
    _git("-c", "user.name=Ed", "-c", "user.email=ed@example.org", "commit", "-qm", "Mine", cwd=root)
    (root / "content/a.md").write_text(article("Rates held", body="An edit not yet saved."))
    status = _git("status", "--porcelain", cwd=root)
    head = _git("rev-parse", "HEAD", cwd=root)
    assert main(["publish", str(root)]) == 0
    assert _git("status", "--porcelain", cwd=root) == status  # the same edits, no new files
    assert _git("rev-parse", "HEAD", cwd=root) == head
    assert _git("branch", "--show-current", cwd=root).strip() == "main"
    assert _git("show", "gh-pages:CNAME", cwd=root) == "news.example.org\n"
    assert "An edit not yet saved." in _git("show", "gh-pages:articles/a/index.html", cwd=root)


def test_a_branch_briefgen_did_not_make_is_refused(make_site: MakeSite, tmp_path: Path) -> None:
    root, remote = make_site(FILES), tmp_path / "remote.git"
    other = tmp_path / "other"
    _git("init", "--quiet", "-b", "gh-pages", str(other))
    (other / "index.html").write_text("hand-made")
    (other / "notes.txt").write_text("the team's notes")
    _git("add", ".", cwd=other)
    _git("-c", "user.name=Ed", "-c", "user.email=ed@example.org", "commit", "-qm", "x", cwd=other)
    _git("clone", "--quiet", "--bare", str(other), str(remote))
    with pytest.raises(PublishRefused, match="was not published by briefgen"):
        publish(root, PublishOptions(f"git:{remote}"))
    assert len(_git("rev-list", "gh-pages", cwd=remote).split()) == 1
    publish(root, PublishOptions(f"git:{remote}", force=True))  # added beside what is there
    tree = _git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote).split()
    assert "notes.txt" in tree and MANIFEST in tree  # carried over: not briefgen's to delete
    publish(root, PublishOptions(f"git:{remote}", delete=True))
    assert "notes.txt" not in _git("ls-tree", "-r", "--name-only", "gh-pages", cwd=remote)


def test_an_unreachable_remote_is_an_error_not_a_success(
    make_site: MakeSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site(FILES)
    assert main(["publish", str(root), f"git:{tmp_path / 'no-such-repo'}"]) == 1
    said = capsys.readouterr().err
    assert "error: git ls-remote failed" in said and "files uploaded" not in said


# --- the plan alone -------------------------------------------------------------------------


def test_pages_land_after_the_files_they_link_and_the_front_page_last() -> None:
    local = {"index.html": "1", "a/index.html": "1", "a/b/index.html": "1", "style.css": "1"}
    plan = plan_publish(local, {}, None)
    assert plan.uploads == ("style.css", "a/b/index.html", "a/index.html", "index.html")


def test_a_site_shrinking_to_under_half_stops_and_asks() -> None:
    published = {f"{n}.html": "x" for n in range(10)}
    with pytest.raises(PublishRefused, match="shrink from 10 files to 4"):
        plan_publish({f"{n}.html": "x" for n in range(4)}, published, published)


# --- rsync (to a folder on this machine: the same rsync as over ssh) ------------------------

rsync_missing = pytest.mark.skipif(
    shutil.which("rsync") is None, reason="rsync is not installed (apt-get install rsync)"
)


@rsync_missing
def test_rsync_sends_the_site_then_only_what_changed_and_deletes_only_its_own(
    make_site: MakeSite, tmp_path: Path
) -> None:
    root, target = make_site(FILES), tmp_path / "www"
    first = publish(root, PublishOptions(f"rsync:{target}"))
    published = _files(target)
    assert published.pop(MANIFEST) and published == _site(root)
    (target / "their-notes.txt").write_text("theirs")
    (root / "content/a.md").write_text(
        article("Rates held", source="One", body="The bank held rates on Monday, again.")
    )
    (root / "content/c.md").unlink()
    before = _files(target)
    dry = publish(root, PublishOptions(f"rsync:{target}", dry_run=True))
    assert _files(target) == before  # a dry run changes nothing
    second = publish(root, PublishOptions(f"rsync:{target}"))
    assert second.report.uploads == dry.report.uploads
    assert "articles/a/index.html" in second.report.uploads
    assert second.report.bytes_up < first.report.bytes_up / 5
    assert "articles/c/index.html" in second.report.deletions
    now = _files(target)
    assert now.pop("their-notes.txt") == b"theirs" and now.pop(MANIFEST)
    assert now == _site(root)  # the deleted article's folder went too
