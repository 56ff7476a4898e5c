"""The optional online refresh: download the public LiteLLM price map. Nothing else in the app needs the network."""

from __future__ import annotations

import urllib.error
import urllib.request

USER_AGENT = "llmcompare-refresh/1"


class RefreshError(RuntimeError):
    """The map could not be fetched; the message says why and what to do instead."""


def fetch(url: str, timeout_s: float, max_bytes: int) -> bytes:
    """The bytes at url, read with a timeout and a size cap; offline or failing gives a RefreshError."""
    if not url.startswith(("https://", "http://")):
        raise RefreshError(f"LLMCOMPARE_LITELLM_URL must start with https:// or http://, got {url!r}")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            data = response.read(max_bytes + 1)
    except urllib.error.HTTPError as exc:
        raise RefreshError(f"{url} answered HTTP {exc.code} {exc.reason}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise RefreshError(
            f"could not reach {url} ({reason}). This machine looks offline: download the file where you have "
            "internet access and upload it here instead."
        ) from exc
    if len(data) > max_bytes:
        raise RefreshError(f"{url} sent more than {max_bytes / 1_000_000:,.1f} MB (LLMCOMPARE_IMPORT_MAX_MB)")
    return data
