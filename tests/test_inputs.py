"""The input stage: every kind of source a user names, read or refused with one line.

Web pages are served from a real ``http.server`` on 127.0.0.1 in a thread; nothing leaves
the machine.
"""

from __future__ import annotations

import codecs
import io
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from stance.clean import MAX_CHARS, clean
from stance.errors import StanceError
from stance.inputs import read
from stance.inputs.url import read_url

PAGES = Path(__file__).parent / "fixtures" / "pages"
ARTICLE = (PAGES / "harbor-daily.html").read_bytes()
SIGN_IN = (PAGES / "no-article.html").read_bytes()
SLOW_SECONDS = 3.0


class Pages(BaseHTTPRequestHandler):
    """Saved pages and the ways a real server misbehaves, one path each."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        if self.path == "/city/tram":
            self._send(200, "text/html; charset=utf-8", ARTICLE)
        elif self.path == "/old-link":
            self._redirect("/city/tram")
        elif self.path == "/loop":
            self._redirect("/loop")
        elif self.path == "/sign-in":
            self._send(200, "text/html", SIGN_IN)
        elif self.path == "/slow":
            time.sleep(SLOW_SECONDS)
            self._send(200, "text/html", ARTICLE)
        elif self.path == "/trickle":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            try:
                for _ in range(int(SLOW_SECONDS * 10)):
                    self.wfile.write(b"<p>x</p>")
                    self.wfile.flush()
                    time.sleep(0.1)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif self.path == "/huge":
            self._send(200, "text/html", ARTICLE[:-20] + b"<p>filler</p>" * 200_000 + b"</body></html>")
        elif self.path == "/huge-unannounced":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no Content-Length: the size shows only while reading
            for _ in range(40):
                self.wfile.write(b"<p>" + b"x" * 65_536 + b"</p>")
        elif self.path == "/report.pdf":
            self._send(200, "application/pdf", b"%PDF-1.7\n" + b"\x00" * 2000)
        else:
            self._send(404, "text/html", b"<html><body><h1>Not Found</h1></body></html>")

    def _send(self, status: int, ctype: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading, as it should for a page too large

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def refusal(source: str, **kwargs: object) -> str:
    """The one-line message reading ``source`` fails with."""
    with pytest.raises(StanceError) as caught:
        read_url(source, **kwargs) if kwargs else read(source)
    message = str(caught.value)
    assert "\n" not in message and source in message
    return message


# --- URLs -------------------------------------------------------------------------------


def test_url_gives_the_article_and_its_metadata(server: str) -> None:
    doc = read(f"{server}/city/tram")
    assert doc.label == doc.site == "The Harbor Daily"
    assert doc.title == "Council approves tram line despite union objections"
    assert doc.date == "2026-03-14"
    assert doc.source == f"{server}/city/tram"
    assert doc.language == "en"
    assert "voted eight to three" in doc.text
    assert "All rights reserved" not in doc.text and "Most read" not in doc.text


def test_redirect_is_followed(server: str) -> None:
    doc = read(f"{server}/old-link")
    assert "voted eight to three" in doc.text
    assert doc.source == f"{server}/old-link"


def test_redirect_loop(server: str) -> None:
    assert "too many redirects" in refusal(f"{server}/loop")


def test_404(server: str) -> None:
    assert "404" in refusal(f"{server}/gone")


def test_slow_server_times_out(server: str) -> None:
    assert "timed out" in refusal(f"{server}/slow", timeout=0.5)


def test_server_trickling_bytes_meets_the_deadline(server: str) -> None:
    started = time.monotonic()
    assert "timed out" in refusal(f"{server}/trickle", timeout=0.5)
    assert time.monotonic() - started < SLOW_SECONDS / 2


@pytest.mark.parametrize("path", ["/huge", "/huge-unannounced"])
def test_huge_body_is_refused(server: str, path: str) -> None:
    assert "too large" in refusal(f"{server}{path}", max_bytes=1_000_000)


def test_non_html_content_type(server: str) -> None:
    assert "application/pdf" in refusal(f"{server}/report.pdf")


def test_page_without_article_text(server: str) -> None:
    assert "no article text" in refusal(f"{server}/sign-in")


def test_nothing_listening() -> None:
    import socket

    with socket.socket() as sock:  # a port just freed: nothing listens on it
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    assert "cannot connect" in refusal(f"http://127.0.0.1:{port}/x", timeout=5)


# --- saved pages ------------------------------------------------------------------------


def test_html_file_gives_the_article_and_its_metadata() -> None:
    doc = read(str(PAGES / "harbor-daily.html"))
    assert doc.label == "harbor-daily"
    assert doc.site == "The Harbor Daily" and doc.date == "2026-03-14"
    assert "Mayor Ana Ruiz" in doc.text and "window.analytics" not in doc.text


def test_boilerplate_report_applies_after_extraction() -> None:
    blocks = clean(read(str(PAGES / "harbor-daily.html")).text)
    dropped = [block.text for block in blocks if block.dropped == "link list"]
    assert dropped and dropped[0].startswith("Read more")
    assert any(block.dropped is None and "Transit Workers Union" in block.text for block in blocks)


def test_page_saved_as_text_is_extracted(tmp_path: Path) -> None:
    path = tmp_path / "saved.txt"
    path.write_bytes(ARTICLE)
    doc = read(str(path))
    assert doc.label == "saved" and doc.site == "The Harbor Daily"
    assert "<p>" not in doc.text and "Mayor Ana Ruiz" in doc.text


def test_html_file_without_article_text() -> None:
    assert "no article text" in refusal(str(PAGES / "no-article.html"))


# --- plain text, encodings, standard input ------------------------------------------------

TEXT = "The minister said “no” to the plan, and the mayor—Ana Ruiz—called it a mistake.\n\nÜber 40 % agreed.\n"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-8-sig"])
def test_unicode_with_a_byte_order_mark_is_decoded(tmp_path: Path, codec: str) -> None:
    path = tmp_path / "article.txt"
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(codec, b"")
    path.write_bytes(bom + TEXT.encode(codec))
    assert read(str(path)).text == TEXT


def test_utf16_without_a_byte_order_mark_is_named(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(TEXT.encode("utf-16-le"))
    assert "UTF-16" in refusal(str(path))


def test_other_encodings_still_one_line(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_bytes(TEXT.encode("cp1252", errors="replace"))
    assert "not UTF-8" in refusal(str(path))


def test_control_characters_are_made_visible_in_every_field(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    hostile = "He said \x1b[2J\x1b]0;pwned\x07 nothing.\r\nA second\x9b31m line\x00 here.\tEnd\x7f\n"
    path.write_text(hostile, encoding="utf-8")
    doc = read(str(path))
    controls = {chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]} - {"\n", "\t"}
    assert not controls & set(doc.text)
    assert "␛[2J" in doc.text and "␇" in doc.text and "\tEnd" in doc.text
    assert doc.text.count("\n") == 2  # CRLF became one line break


def test_html_metadata_controls_are_made_visible(tmp_path: Path) -> None:
    page = ARTICLE.replace(b"The Harbor Daily</title>", b"The \x1b[31mHarbor Daily</title>").replace(
        b'content="The Harbor Daily"', b'content="The &#27;[31mHarbor Daily"'
    )
    path = tmp_path / "page.html"
    path.write_bytes(page)
    doc = read(str(path))
    for field in (doc.text, doc.title, doc.site, doc.label):
        assert field is not None and "\x1b" not in field


def test_article_over_the_limit_gives_one_line(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_text("Word " * (MAX_CHARS // 5 + 100), encoding="utf-8")
    message = refusal(str(path))
    assert "split it" in message and "stance study" in message


def test_one_and_a_half_million_character_paragraph_gives_one_line(tmp_path: Path) -> None:
    path = tmp_path / "paragraph.txt"
    path.write_text("The council met again and nothing was decided. " * 31_250, encoding="utf-8")
    assert "too long" in refusal(str(path))


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(TEXT.encode("utf-16"))))
    doc = read("-")
    assert (doc.label, doc.source, doc.text) == ("stdin", "-", TEXT)


def test_stdin_html_page_is_extracted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(ARTICLE)))
    doc = read("-")
    assert doc.label == "stdin" and doc.site == "The Harbor Daily" and "<p>" not in doc.text


def test_empty_pipe_says_so() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from stance.inputs import read; read('-')"], input=b"", capture_output=True
    )
    assert done.returncode != 0
    assert "standard input is empty" in done.stderr.decode()


def test_stdin_from_a_terminal_is_refused_not_waited_on() -> None:
    import pty

    leader, follower = pty.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-c", "from stance.inputs import read; read('-')"],
            stdin=follower,
            capture_output=True,
            timeout=60,
        )
    finally:
        os.close(leader)
        os.close(follower)
    assert done.returncode != 0 and "standard input is a terminal" in done.stderr.decode()


def test_read_loads_no_model_library() -> None:
    """The CLI checks every input before it loads torch or spaCy; reading must not load them."""
    code = (
        "import sys; from stance.inputs import read; "
        f"read({str(PAGES / 'harbor-daily.html')!r}); read('seeds/cgtn-2019.txt'); "
        "print(sorted({'torch', 'spacy', 'transformers'} & set(sys.modules)))"
    )
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True)
    assert done.stdout.strip() == "[]"


@pytest.mark.parametrize("codec", ["latin-1", "cp1252"])
def test_utf8_decoded_the_wrong_way_is_repaired(tmp_path: Path, codec: str) -> None:
    published = "The minister’s plan – welcomed by all – passed in Zürich.\n\nIt was the party’s second try."
    path = tmp_path / "garbled.txt"
    path.write_text(published.encode("utf-8").decode(codec), encoding="utf-8")
    assert read(str(path)).text.strip() == published


def test_text_decoded_right_is_left_as_it_is(tmp_path: Path) -> None:
    published = "Ça va: “quoted” — Señor Müller’s café, 3 €, déjà vu."
    path = tmp_path / "fine.txt"
    path.write_text(published, encoding="utf-8")
    assert read(str(path)).text.strip() == published


def test_invisible_format_characters_are_removed(tmp_path: Path) -> None:
    # soft hyphen, zero-width joiner and a bidirectional isolate, as web pages carry them
    path = tmp_path / "article.txt"
    path.write_text("Khalifa Haf\u00adtar met Fayez al-Sar\u200draj.\u2066 Haftar\u2069 left.\n", encoding="utf-8")
    assert read(str(path)).text == "Khalifa Haftar met Fayez al-Sarraj. Haftar left.\n"


def test_a_named_pipe_is_read_like_a_file(tmp_path: Path) -> None:
    # the shell's <(...) and mkfifo give pipes, whose size is 0 until they are read
    pipe = tmp_path / "article"
    os.mkfifo(pipe)
    writer = threading.Thread(target=lambda: pipe.write_text(TEXT, encoding="utf-8"), daemon=True)
    writer.start()
    assert read(str(pipe)).text == TEXT
    writer.join()
    empty = tmp_path / "empty"
    os.mkfifo(empty)
    closer = threading.Thread(target=lambda: empty.write_bytes(b""), daemon=True)
    closer.start()
    assert "file is empty" in refusal(str(empty))
    closer.join()


@pytest.mark.parametrize("address", ["ftp://127.0.0.1/article.html", "file:///etc/hostname"])
def test_an_address_of_another_kind_is_refused_as_such(address: str) -> None:
    assert "only http:// and https://" in refusal(address)
