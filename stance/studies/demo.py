"""A ready-made study corpus from BASIL: each event told by Fox News, the New York Times
and HuffPost, written as the CSV a user would bring (event, outlet, title, date, text).

``python -m stance.studies.demo BASIL_DIR OUT.csv [--events N] [--paragraphs K]`` writes it;
``make study-demo`` then runs ``stance study`` on it. ``--paragraphs`` keeps only the
first K paragraphs of each article, which the tests use for a small, fast corpus.
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

from stance.errors import StanceError

#: BASIL's source codes as readers know the outlets.
OUTLETS = {"fox": "Fox News", "nyt": "New York Times", "hpo": "HuffPost"}


def basil_rows(basil: Path, events: int | None = None, paragraphs: int | None = None) -> list[dict[str, str]]:
    """One row per article, events in BASIL's order (by year, then triplet id)."""
    files = sorted(Path(basil, "articles").glob("*/*.json"))
    if not files:
        raise StanceError(f"{basil}: no BASIL articles under articles/<year>/")
    triplets: dict[str, list[dict]] = {}
    for file in files:
        data = json.loads(file.read_text(encoding="utf-8"))
        triplets.setdefault(data["triplet-uuid"], []).append(data)
    rows = []
    for articles in list(triplets.values())[:events]:
        event = articles[0]["main-event"].strip()
        for a in sorted(articles, key=lambda a: a["source"].lower()):
            body = a["body-paragraphs"][:paragraphs]
            rows.append(
                {
                    "event": event,
                    "outlet": OUTLETS.get(a["source"].lower(), a["source"]),
                    "title": a["title"].strip(),
                    "date": a.get("date") or "",
                    "text": "\n\n".join(" ".join(s.strip() for s in p) for p in body),
                }
            )
    return rows


def write_csv(rows: list[dict[str, str]], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["event", "outlet", "title", "date", "text"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("basil", type=Path, help="BASIL folder with articles/<year>/*.json")
    parser.add_argument("out", type=Path, help="CSV file to write")
    parser.add_argument("--events", type=int, default=None, help="only the first N events")
    parser.add_argument("--paragraphs", type=int, default=None, help="only the first K paragraphs of each article")
    args = parser.parse_args()
    rows = basil_rows(args.basil, args.events, args.paragraphs)
    write_csv(rows, args.out)
    print(f"{args.out}: {len(rows)} articles, {len({r['event'] for r in rows})} events")


if __name__ == "__main__":
    main()
