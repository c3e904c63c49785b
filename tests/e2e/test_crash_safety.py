"""Crash safety: builds killed with SIGKILL at moments spread over their run (DESIGN.md,
"Builds that fail, builds that are killed").

A generated site of 1,000 articles (``benchmarks/make_corpus.py``, from the BBC corpus in
``../shared/corpora``) is built once (version A). Then articles are edited (text changed in
a tenth of them, one deleted, one moved to another topic, one added as a new latest edition),
so the next build renders every page and writes a few hundred files (version B). That build
is started again and again from the same state A and killed: at 8 moments from 5% to 95% of
its un-killed duration, and once right after it has swapped the new site in (what it still
has to do then, the cache's records, takes a few milliseconds: no timed moment hits it). After
each kill ``site/`` is exactly A or exactly B, file for file and byte for byte, never a mix;
nothing else beside it could pass for the site; the cache still loads; the next build makes
exactly B; and a build after that finds nothing to do. Once more with search on, killed while
Pagefind indexes the staging folder. About 45 s on two quiet cores; run alone with
``pytest tests/e2e/test_crash_safety.py -s`` to see what each kill found.

B is compared with an un-killed build from the same state A, not with a ``--rebuild`` of the
edited content: a build keeps the story ids earlier builds gave (DESIGN.md, "State between
builds"), so B and a build from nothing differ in a few story ids, by design.

A killed build's forked workers (analysis, rendering) and its Pagefind die with it
(``test_a_killed_build_leaves_no_worker_behind``); had one lived on, it would hold the build's
lock and its pipes, so a build's output goes to a file here, never a pipe, and what is left of
its process group is killed before anything is checked.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from briefgen.cache import CACHE_DIR, load_cache
from tests.conftest import REPO, load_benchmark, site_snapshot

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="SIGKILL, process groups and /proc: Linux only"
)

ARTICLES = 1000
EPOCH = "1735689600"  # 2025-01-01: every generated article (dated 2023) is published
MOMENTS = tuple(round(0.05 + step * 0.9 / 7, 3) for step in range(8))  # 5% .. 95%
SITE_FILES = {"briefgen.yaml", "content", "layouts", "site", CACHE_DIR}
SPARE_FILES = {".site.spare", ".site.lock"}  # the output's kept staging folder and its lock
Snapshot = dict[str, str]  # path under site/ -> sha256 of its bytes ("/" for a folder)


@dataclass(frozen=True)
class Builds:
    """Runs ``briefgen build`` from a copy of the code, each build's output in a log file."""

    code: Path
    logs: Path
    started: list[int] = field(default_factory=list)  # each build's process group

    def start(self, root: Path, name: str, *options: str) -> subprocess.Popen[bytes]:
        """A build in a process group of its own, so that its workers can be found; its
        output goes to a file: a killed build's workers would hold a pipe open for ever."""
        with (self.logs / f"{name}.log").open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "briefgen", "build", *options],
                cwd=root,
                env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(self.code)},
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started.append(process.pid)
        return process

    def end_all(self) -> None:
        """Kill whatever is left of the builds (a test that failed midway)."""
        for group in self.started:
            kill_group_left(group)

    def run(self, root: Path, name: str, *options: str) -> str:
        """An un-killed build, which must succeed: what it said."""
        process = self.start(root, name, *options)
        assert process.wait(timeout=120) == 0, self.said(name)
        return self.said(name)

    def said(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text()


@dataclass(frozen=True)
class Scene:
    base: Path
    builds: Builds
    work: Path  # where every build runs (the cache keys pages by the output's path)
    edited: Path  # a copy of work as version A left it, with the content already edited
    version_a: Snapshot
    version_b: Snapshot
    seconds: float  # the un-killed build from A to B, from its start to its exit


def write_generated_site(root: Path, articles: int) -> None:
    make_corpus = load_benchmark("make_corpus")
    if not make_corpus.DEFAULT_CORPUS.is_file():
        pytest.skip(
            f"the corpus the generated site is made from is missing: {make_corpus.DEFAULT_CORPUS}"
        )
    corpus = make_corpus.load_corpus(make_corpus.DEFAULT_CORPUS)
    make_corpus.write_briefgen(root, make_corpus.generate(articles, corpus, seed=20241028))


def edit_articles(content: Path) -> None:
    """Version B: a new first sentence in every tenth article, one article deleted, one moved
    to another topic, and one added after all others (a new latest edition: every page's
    navigation changes, so every page is rendered again)."""
    files = sorted(content.rglob("*.md"))
    for number, path in enumerate(files[::10]):
        head, body = path.read_text(encoding="utf-8").split("\n---\n", 1)
        added = f"A correction to this report was published on day {number} of the review."
        path.write_text(f"{head}\n---\n\n{added} {body.lstrip()}", encoding="utf-8")
    files[7].unlink()
    moved = files[11].read_text(encoding="utf-8")
    topics = next(line for line in moved.splitlines() if line.startswith("topics:"))
    other = "topics: [sport]" if "politics" in topics else "topics: [politics]"
    files[11].write_text(moved.replace(topics, other), encoding="utf-8")
    (content / "2024" / "01").mkdir(parents=True, exist_ok=True)
    (content / "2024/01/late-addition.md").write_text(
        "---\n"
        'title: "Regulator opens a review of the harbour merger"\n'
        "date: 2024-01-01T06:00:00+00:00\n"
        'source: "Meridian Post"\n'
        'author: "Mei Okafor"\n'
        "topics: [business]\n"
        "---\n\n"
        "The regulator opened a review of the harbour merger on Monday morning. Analysts said "
        "the review could take months and might end with conditions on the deal.\n",
        encoding="utf-8",
    )


def snapshot(folder: Path) -> Snapshot:
    """Every file's bytes (by hash) and every folder under ``folder``."""
    found: Snapshot = {}
    for path in folder.rglob("*"):
        rel = path.relative_to(folder).as_posix()
        if path.is_symlink() or not path.is_dir():
            found[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            found[rel] = "/"
    return found


def copy_keeping_links(source: Path, target: Path) -> None:
    """Copy a site's folder with its files' hard links kept (the output and its spare folder
    share inodes): what a build finds is what the last build left, not a copy of every file."""
    first_copy: dict[tuple[int, int], str] = {}

    def copy(src: str, dst: str) -> str:
        info = os.lstat(src)
        key = (info.st_dev, info.st_ino)
        if info.st_nlink > 1 and key in first_copy:
            os.link(first_copy[key], dst)
        else:
            shutil.copy2(src, dst)
            first_copy[key] = dst
        return dst

    shutil.copytree(source, target, symlinks=True, copy_function=copy)


def restore(scene: Scene) -> None:
    """State A again, with the content edited, as hard links to the saved copy's files (a
    copy of every file took half the time of the build). A build never writes into a file
    it finds: the cache's files are replaced whole, and the output's spare folder is written
    in place only where a file has no other link. A build that did would change the saved
    copy too, and the next kill would find a site that is neither version."""
    shutil.rmtree(scene.work)
    shutil.copytree(scene.edited, scene.work, symlinks=True, copy_function=os.link)


def copy_of_the_code(folder: Path) -> Path:
    """briefgen's package as it is now, for every build of the test: every page depends on
    briefgen's code, and a file saved in the working tree midway would change the pages of
    the builds after it (and make them all render again)."""
    shutil.copytree(
        REPO / "briefgen", folder / "briefgen", ignore=shutil.ignore_patterns("__pycache__")
    )
    return folder


def group_members(group: int) -> list[int]:
    """The live processes of a process group (a killed build's orphaned workers)."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except (OSError, IndexError):
                continue  # gone meanwhile
            if int(fields[2]) == group and fields[0] != "Z":
                members.append(int(entry.name))
    return members


def kill_group_left(group: int) -> int:
    """Kill what is left of a killed build's process group (by pid); how many there were."""
    left = group_members(group)
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while group_members(group) and time.monotonic() < deadline:
        time.sleep(0.01)
    return len(left)


def searchable_snapshot(folder: Path) -> Snapshot:
    """``snapshot`` for a site with a search index: Pagefind's filter and metadata files are
    not the same bytes from run to run over the same pages (``site_snapshot``)."""
    return {path: hashlib.sha256(data).hexdigest() for path, data in site_snapshot(folder).items()}


def commands_of(pids: list[int]) -> list[str]:
    found = []
    for pid in pids:
        try:
            found.append(Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode())
        except OSError:
            continue
    return found


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scene]:
    base = tmp_path_factory.mktemp("crash")
    (base / "logs").mkdir()
    builds = Builds(copy_of_the_code(base / "code"), base / "logs")
    work = base / "work"
    write_generated_site(work, ARTICLES)
    builds.run(work, "a", "--no-search")
    version_a = snapshot(work / "site")
    assert len(load_cache(work)) == ARTICLES  # the cache is whole and loads
    edit_articles(work / "content")
    edited = base / "edited"
    copy_keeping_links(work, edited)
    # Version B: the same build un-killed, from a copy of state A in a folder of its own,
    # timed. It renders every page, as the build in work does (the new latest edition is in
    # every page's navigation).
    reference = base / "reference"
    copy_keeping_links(edited, reference)
    started = time.monotonic()
    said = builds.run(reference, "reference", "--no-search", "-v")
    seconds = time.monotonic() - started
    version_b = snapshot(reference / "site")
    changed = {
        p for p in version_a.keys() | version_b.keys() if version_a.get(p) != version_b.get(p)
    }
    assert len(changed) > 100, said  # the edits change many pages: a kill can catch a mix
    print(f"\nun-killed build A -> B: {seconds:.2f} s, {len(changed)} files differ; {said.strip()}")
    try:
        yield Scene(base, builds, work, edited, version_a, version_b, seconds)
    finally:
        builds.end_all()


def wait_for(seconds: float) -> Callable[[subprocess.Popen[bytes], Path], None]:
    def wait(process: subprocess.Popen[bytes], site: Path) -> None:
        time.sleep(seconds)

    return wait


def wait_for_the_swap(process: subprocess.Popen[bytes], site: Path) -> None:
    """Until the build has exchanged the new site with the old one: what it does after that
    (the cache's story ids and page keys, the record that lets the next build stop early)
    takes a few tens of milliseconds."""
    before = site.stat().st_ino
    while site.stat().st_ino == before and process.poll() is None:
        time.sleep(0.0005)


def test_a_killed_build_leaves_the_site_whole_and_the_next_build_makes_it_right(
    scene: Scene,
) -> None:
    kills = [
        (f"{m:4.0%} ({m * scene.seconds:.2f} s)", wait_for(m * scene.seconds)) for m in MOMENTS
    ]
    kills.append(("right after the swap", wait_for_the_swap))
    found = []
    for number, (moment, wait) in enumerate(kills):
        restore(scene)
        name = f"killed-{number}"
        process = scene.builds.start(scene.work, name, "--no-search", "-v")
        wait(process, scene.work / "site")
        process.send_signal(signal.SIGKILL)
        code = process.wait()
        orphans = kill_group_left(process.pid)

        # The site is exactly the previous version or exactly the new one.
        site = snapshot(scene.work / "site")
        version = "A" if site == scene.version_a else "B" if site == scene.version_b else "?"
        if version == "?":
            mixed_a = sum(site.get(p) == h for p, h in scene.version_a.items())
            mixed_b = sum(site.get(p) == h for p, h in scene.version_b.items())
            pytest.fail(
                f"killed at {moment}: site/ is neither version ({len(site)} entries, "
                f"{mixed_a} as in A, {mixed_b} as in B)\n{scene.builds.said(name)}"
            )
        # Beside it nothing a visitor or a publish could take for the site.
        assert {p.name for p in scene.work.iterdir()} <= SITE_FILES | SPARE_FILES
        # Each cache file is A's or B's (one article deleted, one added): none is damaged.
        assert len(load_cache(scene.work)) in (ARTICLES - 1, ARTICLES, ARTICLES + 1)

        # The next build makes B, and the one after finds nothing to do.
        recovered = scene.builds.run(scene.work, f"recovered-{number}", "--no-search")
        assert snapshot(scene.work / "site") == scene.version_b, recovered
        again = scene.builds.run(scene.work, f"again-{number}", "--no-search")
        assert "nothing changed" in again, again
        assert snapshot(scene.work / "site") == scene.version_b
        assert len(load_cache(scene.work)) == ARTICLES  # (B: one deleted, one added)
        leftovers = len(list((scene.work / CACHE_DIR).rglob(".tmp-*")))
        found.append(
            f"{moment}: {'killed' if code == -signal.SIGKILL else f'had ended ({code})'}, "
            f"site/ was version {version}, {orphans} orphaned worker(s), {leftovers} cache "
            f"temp file(s); then: {recovered.strip().splitlines()[-1]}"
        )
    print("\n" + "\n".join(found))


def test_a_build_killed_while_indexing_for_search_leaves_the_site_whole(scene: Scene) -> None:
    """Pagefind indexes the staging folder, in a process of its own, as the build's last step
    before the swap; the build is killed while Pagefind runs."""
    reference = scene.base / "reference-search"
    copy_keeping_links(scene.edited, reference)
    scene.builds.run(reference, "reference-search")
    version_b = searchable_snapshot(reference / "site")
    assert "(search pages)" in version_b  # the reference has its index
    restore(scene)
    version_a = searchable_snapshot(scene.work / "site")
    process = scene.builds.start(scene.work, "killed-search")
    while not any("pagefind" in command for command in commands_of(group_members(process.pid))):
        assert process.poll() is None, "the build ended before Pagefind ran"
        time.sleep(0.002)
    time.sleep(0.2)  # Pagefind reads the pages and writes its index
    process.send_signal(signal.SIGKILL)
    process.wait()
    left_running = commands_of(group_members(process.pid))
    deadline = time.monotonic() + 5  # the kernel kills Pagefind with its parent, at once
    while left_running and time.monotonic() < deadline:
        time.sleep(0.05)
        left_running = commands_of(group_members(process.pid))
    kill_group_left(process.pid)
    assert left_running == [], "Pagefind outlived the killed build"

    site = searchable_snapshot(scene.work / "site")
    assert site in (version_a, version_b), "site/ is neither version"
    assert {p.name for p in scene.work.iterdir()} <= SITE_FILES | SPARE_FILES
    recovered = scene.builds.run(scene.work, "recovered-search")
    assert searchable_snapshot(scene.work / "site") == version_b, recovered
    again = scene.builds.run(scene.work, "again-search")
    assert "nothing changed" in again, again
    work_folders = sorted(p.name for p in (scene.work / CACHE_DIR).glob("search-*"))
    assert work_folders == [], "the killed build's Pagefind work folder was never removed"
    print(
        f"\nkilled while Pagefind ran: site/ was version {'A' if site == version_a else 'B'}; "
        f"left running: {[Path(c).name for c in left_running]}; Pagefind work folders left in "
        f"the cache after the next two builds: {work_folders}"
    )


def test_a_killed_build_leaves_no_worker_behind(scene: Scene) -> None:
    process = scene.builds.start(scene.work, "workers", "--no-search", "--rebuild")
    deadline = time.monotonic() + 60
    while not [p for p in group_members(process.pid) if p != process.pid]:
        assert process.poll() is None and time.monotonic() < deadline, "no worker was started"
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    time.sleep(0.5)  # time enough for a worker to notice
    left = group_members(process.pid)
    kill_group_left(process.pid)
    assert left == []
