"""``s3://BUCKET[/PREFIX]``: an S3 bucket, or any S3-compatible store (``endpoint_url``:
MinIO, R2, ...), through boto3 (``pip install 'briefgen[s3]'``).

What changed is told by the content hash briefgen stores — in the manifest object and on
each object as metadata — never by the ETag (which is no hash for multipart uploads). Each
object gets its content type and a cache lifetime: a year for files whose name carries a
hash of their bytes (they never change under that name), minutes for pages. Credentials come
only from the standard AWS chain (environment, profile, instance role): briefgen never
writes or prints them.
"""

from __future__ import annotations

import gzip
import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.publish.local import sha256_of, site_files
from briefgen.publish.plan import (
    MANIFEST,
    Choices,
    Plan,
    PublishRefused,
    as_published,
    manifest_bytes,
    plan_publish,
    read_manifest,
)
from briefgen.publish.report import PublishReport

LONG_CACHE = "public, max-age=31536000, immutable"
PAGE_CACHE = "public, max-age=300"
OTHER_CACHE = "public, max-age=3600"
# Names that change whenever the bytes do: a stylesheet's or script's content hash, or
# Pagefind's hashed index files.
_HASHED = re.compile(r"\.[0-9a-f]{10}\.(css|js)$|^pagefind/.*\.pf_\w+$|\.pf_meta$")
_TYPES = {
    ".pf_fragment": "application/octet-stream",
    ".pf_index": "application/octet-stream",
    ".pf_filter": "application/octet-stream",
    ".pf_meta": "application/octet-stream",
    ".pagefind": "application/octet-stream",
    ".wasm": "application/wasm",
    ".xml": "application/xml",
}
_COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "application/javascript",
    "image/svg+xml",
)


@dataclass(frozen=True)
class S3Settings:
    endpoint_url: str = ""
    region: str = ""
    profile: str = ""
    compress: str = ""  # "", "gzip" or "br": compress text files, with Content-Encoding


def publish_to_bucket(
    site: Path,
    location: str,
    settings: S3Settings,
    choices: Choices,
) -> PublishReport:
    bucket, _, prefix = location.partition("/")
    prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
    client = _client(settings)
    files = site_files(site)
    digests = {path: sha256_of(source) for path, source in files.items()}
    # What the bucket holds is the bytes as stored: compressed ones differ from plain.
    local = {
        path: f"{digest}+{settings.compress}" if _stored_compressed(path, settings) else digest
        for path, digest in digests.items()
    }
    try:
        keys = set(_keys(client, bucket, prefix))
        published = None
        if MANIFEST in keys:
            body = client.get_object(Bucket=bucket, Key=prefix + MANIFEST)["Body"].read()
            published = read_manifest(body)
        present = as_published(keys, published)
        plan = plan_publish(local, present, published, choices)
        report = PublishReport.of(plan, files, f"s3://{bucket}/{prefix}")
        if not choices.dry_run:
            _carry_out(client, bucket, prefix, plan, files, digests, settings)
    except PublishRefused:
        raise
    except Exception as exc:  # botocore's errors: no credentials, no bucket, no network
        raise PublishRefused(f"S3: {_reason(exc)}", _hint(exc)) from exc
    return report


def _client(settings: S3Settings) -> Any:
    try:
        import boto3  # type: ignore[import-untyped]
    except ImportError as exc:
        raise PublishRefused(
            "publishing to S3 needs boto3", "pip install 'briefgen[s3]' (or boto3)"
        ) from exc
    try:
        session = boto3.session.Session(
            profile_name=settings.profile or None, region_name=settings.region or None
        )
    except Exception as exc:  # an unknown profile
        raise PublishRefused(f"S3: {_reason(exc)}", _hint(exc)) from exc
    return session.client("s3", endpoint_url=settings.endpoint_url or None)


def _keys(client: Any, bucket: str, prefix: str) -> Iterator[str]:
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", ()):
            yield item["Key"][len(prefix) :]


def _carry_out(
    client: Any,
    bucket: str,
    prefix: str,
    plan: Plan,
    files: dict[str, Path],
    digests: dict[str, str],
    settings: S3Settings,
) -> None:
    for path in plan.uploads:
        body = files[path].read_bytes()
        content_type = content_type_of(path)
        extra: dict[str, Any] = {
            "ContentType": content_type,
            "CacheControl": cache_control_of(path),
            "Metadata": {"sha256": digests[path]},
        }
        if _stored_compressed(path, settings):
            body = _compressed(body, settings.compress)
            extra["ContentEncoding"] = settings.compress
        client.put_object(Bucket=bucket, Key=prefix + path, Body=body, **extra)
    doomed = [{"Key": prefix + path} for path in plan.deletions]
    for start in range(0, len(doomed), 1000):
        client.delete_objects(Bucket=bucket, Delete={"Objects": doomed[start : start + 1000]})
    client.put_object(
        Bucket=bucket,
        Key=prefix + MANIFEST,
        Body=manifest_bytes(plan.manifest),
        ContentType="application/json",
        CacheControl="no-cache",
    )


def _stored_compressed(path: str, settings: S3Settings) -> bool:
    return bool(settings.compress) and content_type_of(path).startswith(_COMPRESSIBLE)


def content_type_of(path: str) -> str:
    suffix = Path(path).suffix
    if path.endswith("feed.xml"):
        return "application/atom+xml; charset=utf-8"
    guessed = _TYPES.get(suffix) or mimetypes.guess_type(path)[0] or "application/octet-stream"
    if guessed.startswith("text/") or guessed in ("application/javascript", "application/json"):
        return f"{guessed}; charset=utf-8"
    return guessed


def cache_control_of(path: str) -> str:
    if _HASHED.search(path):
        return LONG_CACHE
    if path.endswith((".html", "/", ".xml")):
        return PAGE_CACHE
    return OTHER_CACHE


def _compressed(body: bytes, how: str) -> bytes:
    if how == "gzip":
        return gzip.compress(body, mtime=0)
    try:
        import brotli  # type: ignore[import-not-found]
    except ImportError as exc:
        raise PublishRefused("compress: br needs the brotli package", "pip install brotli") from exc
    return bytes(brotli.compress(body))


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text.split("\n")[0][:300]


def _hint(exc: Exception) -> str:
    name = type(exc).__name__
    if "Credential" in name:
        return "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or name a profile"
    if "ProfileNotFound" in name:
        return "name a profile from ~/.aws/config, or none"
    if "EndpointConnection" in name or "ConnectTimeout" in name:
        return "check endpoint_url and the network"
    return "check the bucket's name, region and your permissions"
