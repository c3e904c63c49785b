"""``git:<remote-or-path>[#branch]``: the site as the tree of a branch (``gh-pages`` unless
named), for GitHub Pages and the like.

Everything happens in a bare repository of briefgen's own in the cache, with git's plumbing:
the branch is fetched there, the new tree is written from the built files (through a
temporary index), committed on top of the branch's history, and pushed. The user's own
repository — its working tree, index and current branch — is never touched, and the branch
on the remote moves only when the whole commit is there (a push is all or nothing). Files
on the branch that briefgen did not put there are carried over unless ``--delete``.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from briefgen.publish.local import site_files
from briefgen.publish.plan import (
    MANIFEST,
    Choices,
    PublishRefused,
    manifest_bytes,
    plan_publish,
    read_manifest,
)
from briefgen.publish.report import PublishReport

DEFAULT_BRANCH = "gh-pages"


def publish_to_branch(
    site: Path,
    remote: str,
    branch: str,
    work: Path,
    *,
    cname: str = "",
    message: str = "",
    choices: Choices,
) -> PublishReport:
    """``work``: a folder in the cache for briefgen's own repository."""
    git = _Git(work)
    exists = git.remote_has(remote, branch)
    parent = git.fetch(remote, branch) if exists else None
    present = git.tree(parent) if parent else {}
    published = None
    if parent and MANIFEST in present:
        published = read_manifest(git.blob(f"{parent}:{MANIFEST}"))
    if parent and published is None and not choices.force:
        raise PublishRefused(
            f"branch '{branch}' of {remote} was not published by briefgen (no {MANIFEST})",
            "name another branch (git:REMOTE#BRANCH), or publish with --force to add to it",
        )
    present.pop(MANIFEST, None)
    files = site_files(site)
    extras = {".nojekyll": b""} | ({"CNAME": f"{cname}\n".encode()} if cname else {})
    local = {path: _blob_id(source.read_bytes()) for path, source in files.items()}
    local |= {path: _blob_id(data) for path, data in extras.items()}
    plan = plan_publish(local, present, published, choices)
    sizes = {path: source for path, source in files.items()}
    for path, data in extras.items():
        sizes[path] = _bytes_file(work, path, data)
    if choices.dry_run or not (plan.uploads or plan.deletions):
        detail = "nothing to commit" if not (plan.uploads or plan.deletions) else "dry run"
        return PublishReport.of(plan, sizes, f"{remote}#{branch}", detail)
    blobs = git.write_blobs([sizes[path] for path in plan.uploads])
    entries = dict(zip(plan.uploads, blobs, strict=True))
    entries[MANIFEST] = git.write_blob(manifest_bytes(plan.manifest))
    tree = git.write_tree(parent, entries, plan.deletions)
    text = message or _message(len(plan.uploads), len(plan.deletions))
    commit = git.commit(tree, parent, text)
    git.push(remote, commit, branch)
    return PublishReport.of(plan, sizes, f"{remote}#{branch}", f"commit {commit[:12]}")


def _message(changed: int, removed: int) -> str:
    parts = [f"{changed} file{'s' if changed != 1 else ''} changed"]
    if removed:
        parts.append(f"{removed} removed")
    return f"Publish the briefing: {', '.join(parts)}\n\nPublished by briefgen."


def _blob_id(data: bytes) -> str:
    """The id git gives a file's bytes: files whose ids match need no upload."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def _bytes_file(work: Path, name: str, data: bytes) -> Path:
    """A file holding ``data``, for the extras (``.nojekyll``, ``CNAME``) a branch gets."""
    folder = work / "extras"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if not path.is_file() or path.read_bytes() != data:
        path.write_bytes(data)
    return path


class _Git:
    def __init__(self, work: Path) -> None:
        self.work = work
        if not (work / "HEAD").is_file():
            work.mkdir(parents=True, exist_ok=True)
            self.run(["init", "--bare", "--quiet", str(work)], bare=False)

    def run(
        self,
        args: Sequence[str],
        *,
        bare: bool = True,
        data: bytes | None = None,
        env: Mapping[str, str] | None = None,
    ) -> str:
        command = ["git", *(["--git-dir", str(self.work)] if bare else []), *args]
        try:
            done = subprocess.run(
                command,
                input=data,
                capture_output=True,
                env={**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})},
                timeout=600,
                check=False,
            )
        except FileNotFoundError as exc:
            raise PublishRefused(
                "git is not installed", "install git to publish to a branch"
            ) from exc
        except subprocess.TimeoutExpired as exc:
            raise PublishRefused(f"git {args[0]} took too long", "check the remote") from exc
        if done.returncode != 0:
            said = done.stderr.decode(errors="replace").strip().splitlines()
            raise PublishRefused(
                f"git {args[0]} failed: {said[-1] if said else f'exit {done.returncode}'}",
                "check the remote's address and that you may push to it",
            )
        return done.stdout.decode()

    def remote_has(self, remote: str, branch: str) -> bool:
        """Whether ``remote`` has ``branch`` (an unreachable remote is an error)."""
        return bool(self.run(["ls-remote", "--heads", remote, f"refs/heads/{branch}"]).strip())

    def fetch(self, remote: str, branch: str) -> str:
        ref = "refs/briefgen/target"
        self.run(["fetch", "--quiet", "--no-tags", remote, f"+refs/heads/{branch}:{ref}"])
        return self.run(["rev-parse", "--verify", f"{ref}^{{commit}}"]).strip()

    def tree(self, commit: str) -> dict[str, str | None]:
        """The files of a commit's tree and their blob ids (None: not a plain file)."""
        listing = self.run(["ls-tree", "-r", "-z", "--full-tree", commit])
        files: dict[str, str | None] = {}
        for entry in filter(None, listing.split("\0")):
            meta, path = entry.split("\t", 1)
            mode, kind, blob = meta.split()
            files[path] = blob if kind == "blob" and mode in ("100644", "100755") else None
        return files

    def blob(self, spec: str) -> bytes:
        return self.run(["cat-file", "blob", spec]).encode()

    def write_blob(self, data: bytes) -> str:
        return self.run(["hash-object", "-w", "--stdin"], data=data).strip()

    def write_blobs(self, paths: Sequence[Path]) -> list[str]:
        if not paths:
            return []
        listed = "".join(f"{path}\n" for path in paths).encode()
        return self.run(["hash-object", "-w", "--stdin-paths"], data=listed).split()

    def write_tree(
        self, parent: str | None, entries: Mapping[str, str], removed: Sequence[str]
    ) -> str:
        with tempfile.TemporaryDirectory(dir=self.work) as temporary:
            env = {"GIT_INDEX_FILE": str(Path(temporary) / "index")}
            if parent:
                self.run(["read-tree", parent], env=env)
            lines = [f"0 {'0' * 40}\t{path}\n" for path in removed]
            lines += [f"100644 {blob}\t{path}\n" for path, blob in entries.items()]
            self.run(["update-index", "--index-info"], data="".join(lines).encode(), env=env)
            return self.run(["write-tree"], env=env).strip()

    def commit(self, tree: str, parent: str | None, message: str) -> str:
        identity = {
            "GIT_AUTHOR_NAME": os.environ.get("GIT_AUTHOR_NAME") or self._config("user.name"),
            "GIT_AUTHOR_EMAIL": os.environ.get("GIT_AUTHOR_EMAIL") or self._config("user.email"),
        }
        identity["GIT_AUTHOR_NAME"] = identity["GIT_AUTHOR_NAME"] or "briefgen"
        identity["GIT_AUTHOR_EMAIL"] = identity["GIT_AUTHOR_EMAIL"] or "briefgen@localhost"
        identity["GIT_COMMITTER_NAME"] = (
            os.environ.get("GIT_COMMITTER_NAME") or identity["GIT_AUTHOR_NAME"]
        )
        identity["GIT_COMMITTER_EMAIL"] = (
            os.environ.get("GIT_COMMITTER_EMAIL") or identity["GIT_AUTHOR_EMAIL"]
        )
        parents = ["-p", parent] if parent else []
        return self.run(
            ["commit-tree", tree, *parents], data=message.encode(), env=identity
        ).strip()

    def _config(self, key: str) -> str:
        try:
            return self.run(["config", "--get", key]).strip()
        except PublishRefused:
            return ""

    def push(self, remote: str, commit: str, branch: str) -> None:
        self.run(["push", "--quiet", remote, f"{commit}:refs/heads/{branch}"])
