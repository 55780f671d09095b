"""URL input: fetch an ``http(s)://`` page, then extract its article as :mod:`stance.inputs.html` does.

A fetch is bounded every way a stranger's server could stall or flood it: a timeout on
every wait and a deadline for the whole download (so a server trickling bytes cannot
hold it open),
a size limit checked while streaming, a content-type check before the body is read, and
at most a few redirects. Each failure is one line naming the URL and what went wrong.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from stance.errors import StanceError
from stance.inputs.document import Document
from stance.inputs.html import MAX_PAGE_BYTES, decode, extract

if TYPE_CHECKING:
    from urllib3 import BaseHTTPResponse

#: Seconds allowed for the whole fetch: connecting, redirects and the download.
TIMEOUT = 20.0
MAX_REDIRECTS = 5
HTML_TYPES = ("text/html", "application/xhtml+xml")
_CHUNK = 64 * 1024


def read_url(url: str, timeout: float = TIMEOUT, max_bytes: int = MAX_PAGE_BYTES) -> Document:
    """The article at ``url``; its label is the site name (or the host name without ``www.``)."""
    final_url, body, charset = fetch(url, timeout, max_bytes)
    host = urlsplit(final_url).hostname or url
    doc = extract(decode(body, charset), url, url=final_url)
    site = doc.site or host.removeprefix("www.")
    return Document(doc.text, label=site, source=url, title=doc.title, date=doc.date, site=site)


def fetch(url: str, timeout: float = TIMEOUT, max_bytes: int = MAX_PAGE_BYTES) -> tuple[str, bytes, str | None]:
    """GET ``url``: the URL it ended at after redirects, the body, and the declared charset."""
    import urllib3
    from urllib3.exceptions import HTTPError, MaxRetryError

    deadline = time.monotonic() + timeout
    retries = urllib3.Retry(total=MAX_REDIRECTS, connect=0, read=0, status=0, other=0, redirect=MAX_REDIRECTS)
    http = urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=timeout, read=timeout),
        retries=retries,
        headers={"User-Agent": "stance (article reader)", "Accept": "text/html,application/xhtml+xml"},
    )
    try:
        response = http.request("GET", url, preload_content=False)
        try:
            _check(url, response, max_bytes)
            body = bytearray()
            # read1 returns whatever has arrived, so a server trickling bytes meets the deadline
            while chunk := response.read1(_CHUNK):
                body += chunk
                if len(body) > max_bytes:
                    raise StanceError(_too_large(url, max_bytes))
                if time.monotonic() > deadline:
                    raise StanceError(f"{url}: timed out after {timeout:g} s")
            return response.geturl() or url, bytes(body), _charset(response.headers.get("Content-Type", ""))
        finally:
            response.release_conn()
    except MaxRetryError as exc:
        raise StanceError(_failure(url, exc.reason, timeout)) from exc
    except HTTPError as exc:
        raise StanceError(_failure(url, exc, timeout)) from exc


def _check(url: str, response: BaseHTTPResponse, max_bytes: int) -> None:
    """Refuse an error status, a page that is not HTML, or one announced as too large."""
    if response.status >= 400:
        reason = response.reason or ""
        raise StanceError(f"{url}: the server answered {response.status} {reason}".rstrip())
    if 300 <= response.status < 400:
        raise StanceError(f"{url}: redirected with no place to go ({response.status})")
    ctype = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
    if ctype not in HTML_TYPES:
        raise StanceError(f"{url}: not a web page ({ctype or 'no content type'}); give the URL of an HTML article")
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise StanceError(_too_large(url, max_bytes))


def _charset(content_type: str) -> str | None:
    for part in content_type.split(";")[1:]:
        key, _, value = part.strip().partition("=")
        if key.lower() == "charset" and value:
            return value.strip("\"' ")
    return None


def _too_large(url: str, max_bytes: int) -> str:
    return f"{url}: the page is larger than {max_bytes / 2**20:.0f} MiB, too large for one article"


def _failure(url: str, reason: BaseException | None, timeout: float) -> str:
    """One line for what went wrong on the way to the page."""
    from urllib3.exceptions import NameResolutionError, NewConnectionError, ResponseError, SSLError
    from urllib3.exceptions import TimeoutError as Urllib3Timeout

    # urllib3 derives a refused connection from its connect timeout: test it first.
    if isinstance(reason, NameResolutionError):
        return f"{url}: host not found"
    if isinstance(reason, NewConnectionError):
        return f"{url}: cannot connect to the server"
    if isinstance(reason, Urllib3Timeout):
        return f"{url}: timed out after {timeout:g} s"
    if isinstance(reason, SSLError):
        return f"{url}: the secure connection failed"
    if isinstance(reason, ResponseError):
        return f"{url}: too many redirects (more than {MAX_REDIRECTS})"
    return f"{url}: cannot fetch the page ({type(reason).__name__ if reason else 'unknown error'})"
