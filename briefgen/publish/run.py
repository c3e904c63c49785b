"""``briefgen publish``: build, check the build, then move what changed to the target."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

from briefgen.build import BuildOptions, BuildResult, build
from briefgen.cache import CACHE_DIR
from briefgen.config import load_config
from briefgen.output import OUTPUT_MARKER
from briefgen.publish.folder import publish_to_folder
from briefgen.publish.git_branch import publish_to_branch
from briefgen.publish.plan import Choices, PublishRefused
from briefgen.publish.report import PublishReport
from briefgen.publish.rsync import publish_with_rsync
from briefgen.publish.s3 import publish_to_bucket
from briefgen.publish.targets import Target, choose_target


@dataclass(frozen=True)
class PublishOptions:
    target: str | None = None  # a name from briefgen.yaml or a target; None: the first named
    config_file: Path | None = None
    build: bool = True
    dry_run: bool = False  # change nothing on the target; say what a real run would do
    delete: bool = False  # also delete files on the target that briefgen did not put there
    force: bool = False  # past the guards: a failed build, a mass deletion, a foreign target
    message: str = ""  # the commit message on a git branch


@dataclass(frozen=True)
class Published:
    target: Target
    report: PublishReport
    build: BuildResult | None
    seconds: float


def publish(root: Path, options: PublishOptions) -> Published:
    """Raises PublishRefused (nothing changed on the target) when it cannot go on."""
    started = time.perf_counter()
    root = root.absolute()
    config, _ = load_config(root, options.config_file)
    target = choose_target(config, options.target)
    result = None
    if options.build:
        result = build(root, BuildOptions(config_file=options.config_file))
        if result.failed() and not options.force:
            raise PublishRefused(
                "the build failed, so nothing was published",
                "fix the errors above, or publish with --force",
            )
    site = result.output_dir if result else root / "site"
    if not (site / OUTPUT_MARKER).is_file():
        raise PublishRefused(
            f"{site} holds no site built by briefgen",
            "build it first, or publish without --no-build",
        )
    choices = Choices(options.dry_run, options.delete, options.force, target.max_deletes)
    if target.kind == "dir":
        report = publish_to_folder(site, Path(target.address), choices)
    elif target.kind == "git":
        work = root / CACHE_DIR / "publish" / _folder_for(target.address)
        report = publish_to_branch(
            site,
            target.address,
            target.branch,
            work,
            cname=target.cname,
            message=options.message,
            choices=choices,
        )
    elif target.kind == "rsync":
        report = publish_with_rsync(site, target.address, choices)
    else:
        report = publish_to_bucket(site, target.address, target.s3, choices)
    return Published(target, report, result, time.perf_counter() - started)


def _folder_for(remote: str) -> str:
    return "git-" + hashlib.sha256(remote.encode()).hexdigest()[:16]
