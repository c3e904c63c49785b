"""Where to publish: a target named in briefgen.yaml or written on the command line."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from briefgen.config import Config, PublishConfig
from briefgen.publish.git_branch import DEFAULT_BRANCH
from briefgen.publish.plan import DEFAULT_MAX_DELETES, PublishRefused
from briefgen.publish.s3 import S3Settings

KINDS = "git:REMOTE[#BRANCH], dir:PATH, rsync:[USER@]HOST:PATH or s3://BUCKET[/PREFIX]"


@dataclass(frozen=True)
class Target:
    kind: str  # "git", "dir", "rsync", "s3"
    address: str  # the remote, the folder, host:path, bucket[/prefix]
    branch: str = ""
    cname: str = ""
    max_deletes: int = DEFAULT_MAX_DELETES
    name: str = ""  # in briefgen.yaml, if it came from there
    s3: S3Settings = field(default_factory=S3Settings)

    def __str__(self) -> str:
        where = f"{self.kind}:{self.address}" + (f"#{self.branch}" if self.branch else "")
        return f"{self.name} ({where})" if self.name else where


def choose_target(config: Config, wanted: str | None) -> Target:
    """The target named ``wanted`` in the config, or written as ``wanted``; without one,
    the config's first."""
    if wanted is None:
        if not config.publish:
            raise PublishRefused(
                "no target to publish to",
                f"name one ({KINDS}), or add publish: {{name: TARGET}} to briefgen.yaml",
            )
        return _from_config(config.publish[0], config)
    for entry in config.publish:
        if entry.name == wanted:
            return _from_config(entry, config)
    return parse_target(wanted, config.root)


def _from_config(entry: PublishConfig, config: Config) -> Target:
    target = parse_target(entry.to, config.root)
    s3 = S3Settings(entry.endpoint_url, entry.region, entry.profile, entry.compress)
    return Target(
        target.kind, target.address, target.branch, entry.cname, entry.max_deletes, entry.name, s3
    )


def parse_target(text: str, root: Path) -> Target:
    if text.startswith("s3://"):
        bucket = text.removeprefix("s3://").strip("/")
        if not bucket:
            raise PublishRefused(f"'{text}' names no bucket", "write s3://BUCKET[/PREFIX]")
        return Target("s3", bucket)
    kind, colon, rest = text.partition(":")
    if not colon or kind not in ("git", "dir", "rsync") or not rest:
        raise PublishRefused(f"'{text}' is no target briefgen knows", f"write {KINDS}")
    if kind == "git":
        remote, _, branch = rest.partition("#")
        return Target("git", _local_path(remote, root), branch or DEFAULT_BRANCH)
    if kind == "dir":
        return Target(
            "dir", str((root / rest).absolute()) if not Path(rest).is_absolute() else rest
        )
    if ":" not in rest.split("/", 1)[0]:  # no host: a folder on this machine
        return Target("rsync", str((root / rest).absolute()))
    return Target("rsync", rest)


def _local_path(remote: str, root: Path) -> str:
    """A relative path to a repository is taken from the site's folder; URLs stay as they are."""
    if "://" in remote or ("@" in remote and ":" in remote) or Path(remote).is_absolute():
        return remote
    candidate = root / remote
    return str(candidate.absolute()) if candidate.exists() else remote
