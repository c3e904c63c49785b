"""briefgen publish to S3: boto3 against moto's S3 server on a free loopback port."""

from __future__ import annotations

import socket
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from briefgen.cli import main
from briefgen.publish.plan import MANIFEST
from briefgen.publish.run import PublishOptions, publish
from tests.conftest import article

boto3 = pytest.importorskip("boto3")
server = pytest.importorskip("moto.server")

MakeSite = Callable[[Mapping[str, str | bytes]], Path]
FILES: dict[str, str | bytes] = {
    "content/a.md": article("Rates held", source="One", body="The bank held rates on Monday."),
    "content/b.md": article("Harvest down", source="Two", body="Wheat output fell by a third."),
}


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Any]]:
    """An S3 endpoint with a bucket 'news', and credentials in the environment only."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    moto = server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    moto.start()
    reset = urllib.request.Request(f"http://127.0.0.1:{port}/moto-api/reset", method="POST")
    urllib.request.urlopen(reset, timeout=10).close()  # moto keeps its state per process
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing-secret",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint)
    client.create_bucket(Bucket="news")
    try:
        yield endpoint, client
    finally:
        moto.stop()


def _site(make_site: MakeSite, endpoint: str, extra: str = "") -> Path:
    config = (
        "title: Desk\nbase_url: https://example.org/\npublish:\n  bucket:\n"
        f"    to: s3://news/briefing\n    endpoint_url: {endpoint}\n{extra}"
    )
    return make_site({**FILES, "briefgen.yaml": config})


def _objects(client: Any) -> dict[str, dict[str, Any]]:
    found = {}
    for item in client.list_objects_v2(Bucket="news").get("Contents", []):
        head = client.head_object(Bucket="news", Key=item["Key"])
        found[item["Key"]] = head
    return found


def test_a_bucket_gets_the_site_with_types_and_cache_lifetimes_then_only_changes(
    make_site: MakeSite, s3: tuple[str, Any]
) -> None:
    endpoint, client = s3
    root = _site(make_site, endpoint)
    first = publish(root, PublishOptions())
    objects = _objects(client)
    site_files = {
        p.relative_to(root / "site").as_posix()
        for p in (root / "site").rglob("*")
        if p.is_file() and p.name != ".briefgen-output"
    }
    assert set(objects) == {f"briefing/{f}" for f in site_files} | {f"briefing/{MANIFEST}"}
    page = objects["briefing/articles/a/index.html"]
    assert page["ContentType"] == "text/html; charset=utf-8"
    assert page["CacheControl"] == "public, max-age=300"
    assert len(page["Metadata"]["sha256"]) == 64
    hashed = next(
        k for k in objects if k.startswith("briefing/assets/style.") and k.count(".") == 2
    )
    assert objects[hashed]["ContentType"].startswith("text/css")
    assert objects[hashed]["CacheControl"] == "public, max-age=31536000, immutable"
    assert objects["briefing/feed.xml"]["ContentType"] == "application/atom+xml; charset=utf-8"
    (root / "content/a.md").write_text(
        article("Rates held", source="One", body="The bank held rates on Monday, again.")
    )
    before = {k: v["LastModified"] for k, v in _objects(client).items()}
    second = publish(root, PublishOptions())
    assert "articles/a/index.html" in second.report.uploads
    assert second.report.bytes_up < first.report.bytes_up / 3
    after = {k: v["LastModified"] for k, v in _objects(client).items()}
    untouched = [k for k in before if before[k] == after.get(k)]
    assert "briefing/articles/b/index.html" in untouched  # not sent again


def test_a_dry_run_uploads_nothing_and_delete_removes_only_with_the_flag(
    make_site: MakeSite, s3: tuple[str, Any], capsys: pytest.CaptureFixture[str]
) -> None:
    endpoint, client = s3
    root = _site(make_site, endpoint)
    assert main(["publish", str(root), "--dry-run"]) == 0
    assert "would upload  index.html" in capsys.readouterr().out
    assert _objects(client) == {}
    publish(root, PublishOptions())
    client.put_object(Bucket="news", Key="briefing/theirs.txt", Body=b"theirs")
    (root / "content/b.md").unlink()
    done = publish(root, PublishOptions())
    assert "articles/b/index.html" in done.report.deletions and done.report.foreign == 1
    keys = set(_objects(client))
    assert "briefing/theirs.txt" in keys and "briefing/articles/b/index.html" not in keys
    publish(root, PublishOptions(delete=True))
    assert "briefing/theirs.txt" not in set(_objects(client))


def test_missing_credentials_are_a_clear_error_and_never_printed(
    make_site: MakeSite,
    s3: tuple[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    endpoint, _ = s3
    root = _site(make_site, endpoint)
    assert main(["publish", str(root)]) == 0
    said = capsys.readouterr()
    assert "testing-secret" not in said.out + said.err
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    assert main(["publish", str(root)]) == 1
    said = capsys.readouterr().err
    assert "error: S3:" in said and "AWS_ACCESS_KEY_ID" in said  # what to set
    assert not list(root.rglob("*credentials*"))


def test_gzip_when_the_config_asks_for_it(make_site: MakeSite, s3: tuple[str, Any]) -> None:
    endpoint, client = s3
    root = _site(make_site, endpoint, "    compress: gzip\n")
    publish(root, PublishOptions())
    page = client.get_object(Bucket="news", Key="briefing/articles/a/index.html")
    assert page["ContentEncoding"] == "gzip"
    import gzip

    assert b"Rates held" in gzip.decompress(page["Body"].read())
    index = client.head_object(Bucket="news", Key="briefing/pagefind/pagefind-entry.json")
    assert index.get("ContentEncoding") == "gzip"  # JSON is text
    wasm = client.head_object(Bucket="news", Key="briefing/pagefind/wasm.en.pagefind")
    assert "ContentEncoding" not in wasm  # already compressed
