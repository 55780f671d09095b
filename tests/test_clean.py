"""The clean stage keeps reporting, drops boilerplate with a reason, and loses no line."""

from pathlib import Path

import pytest

from stance.clean import CHUNK_CHARS, MAX_CHARS, Block, clean, visible_controls
from stance.errors import StanceError

SEEDS = Path(__file__).parent.parent / "seeds"


def reasons(text: str) -> list[str | None]:
    return [block.dropped for block in clean(text)]


@pytest.mark.parametrize("name", ["cgtn-2019.txt", "alarabiya-2020.txt"])
def test_no_line_is_lost(name: str) -> None:
    text = (SEEDS / name).read_text(encoding="utf-8")
    blocks = clean(text)
    for line in text.splitlines():
        if line.strip():
            assert any(line.strip() in block.text for block in blocks), line


def test_cgtn_seed_without_blank_lines() -> None:
    blocks = clean((SEEDS / "cgtn-2019.txt").read_text(encoding="utf-8"))
    dropped = {block.text[:25]: block.dropped for block in blocks if block.dropped}
    assert dropped == {
        "Read more:": "link list",
        "Timeline of Libyan confli": "link list",
        "Aguila Saleh, Libya's par": "photo caption",
        "(Cover: Spokesperson of L": "photo caption",
    }
    kept = [block.text for block in blocks if block.dropped is None]
    assert len(kept) == 10
    assert kept[4].startswith("But Pompeo stressed")  # the link list ends at real reporting
    assert kept[-1].startswith("Haftar, 75, who casts himself")


def test_alarabiya_seed_with_blank_lines() -> None:
    blocks = clean((SEEDS / "alarabiya-2020.txt").read_text(encoding="utf-8"))
    assert [b.dropped for b in blocks if b.dropped] == [
        "channel promo",
        "photo caption",
        "link list",
        "link list",
        "link list",
        "link list",
        "wire credit",
        "timestamp",
    ]
    kept = [block.text for block in blocks if block.dropped is None]
    assert len(kept) == 9
    assert kept[-1].endswith("spoke with the strongman by telephone and praised him.")
    assert any(text.startswith("A report last month") for text in kept)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Protesters gather in central Rabat, May 3, 2021. (AP Photo/Jane Roe)", "photo caption"),
        ("Rescue workers search the rubble in the old town on Tuesday. (AFP)", "photo caption"),
        ("A man walks past a shuttered bank in Beirut, March 2, 2020. /Xinhua Photo", "photo caption"),
        ("Soldiers stand guard outside parliament. | Getty Images", "photo caption"),
        ("A view shows a damaged building in Kyiv, April 2, 2024. REUTERS/Jane Roe", "photo caption"),
        ("Photo: John Smith/Bloomberg", "photo credit"),
        ("Photo by Jane Roe", "photo credit"),
        ("(File photo)", "photo credit"),
        ("Cover image: Smoke rises over the harbour.", "photo caption"),
        ("Updated: 14:05 GMT", "timestamp"),
        ("Published on: 12 March 2021", "timestamp"),
        ("09:30 CET 08:30 GMT", "timestamp"),
        ("(With Reuters)", "wire credit"),
        ("(With AFP and AP)", "wire credit"),
        ("Reporting by Jane Doe; Editing by John Roe", "wire credit"),
        ("Subscribe to our newsletter for daily updates.", "channel promo"),
        ("Follow us on Telegram for breaking news.", "channel promo"),
        ("Related: Ten things to know about the vote", "link list"),
        ("12", "stray text"),
    ],
)
def test_boilerplate_kinds(line: str, reason: str) -> None:
    text = f"The council met on Monday to discuss the budget.\n\n{line}\n\nThe vote is due in May."
    assert reasons(text) == [None, reason, None]


@pytest.mark.parametrize(
    "line",
    [
        "He said officials would follow our advice on the matter.",
        "Fighting continued near the airport held by the Libyan National Army (LNA).",
        "The figures were confirmed by the Associated Press (AP).",
        "The photo, released by the army, showed the tanks near the border.",
        "Updated figures released on Friday show 5 people died.",
        "With help from allies, the government retook the town.",
        "Talks resumed at 10:30 on Monday, officials said, after a week of clashes.",
        "Pictures by a local journalist showed smoke rising over the port on Sunday.",
    ],
)
def test_reporting_is_kept(line: str) -> None:
    assert reasons(f"{line}\n") == [None]


def test_link_list_runs_until_a_real_paragraph() -> None:
    text = (
        "Rebels took the port.\nRead more:\nRebels seize key port in the north\n"
        "Explainer: who controls the coast\nThe army said it would respond within days.\n"
    )
    assert reasons(text) == [None, "link list", "link list", "link list", None]


def test_hard_wrapped_paragraphs_are_joined() -> None:
    text = (
        "The minister said on Monday that the government would not negotiate with\n"
        "armed groups until they laid down their weapons and left the capital.\n\n"
        "Talks are expected to resume next week in Geneva.\n"
    )
    assert clean(text) == [
        Block(
            "The minister said on Monday that the government would not negotiate with "
            "armed groups until they laid down their weapons and left the capital.",
            None,
        ),
        Block("Talks are expected to resume next week in Geneva.", None),
    ]


# --- control characters and size: text given straight to the library is as safe as a file ---

CONTROLS = {chr(c) for c in [*range(0x20), 0x7F, *range(0x80, 0xA0)]} - {"\n", "\t"}


def test_every_control_character_is_made_visible() -> None:
    text = "The envoy said \x1b[2Jnothing\x1b]0;title\x07 more.\n\n" + "".join(sorted(CONTROLS)) + " Tail."
    blocks = clean(text)
    assert not CONTROLS & set("".join(block.text for block in blocks))
    assert "␛[2Jnothing␛]0;title␇ more." in blocks[0].text


def test_line_breaks_written_as_controls_still_separate_paragraphs() -> None:
    texts = [block.text for block in clean("First paragraph.\r\n\r\nSecond one.\fThird one.\rFourth one.")]
    assert texts == ["First paragraph.", "Second one.", "Third one.", "Fourth one."]


def test_visible_controls_keeps_every_other_character_in_place() -> None:
    text = "a\x1bb\x9bc\td"
    assert len(visible_controls(text)) == len(text)
    assert visible_controls(visible_controls(text)) == visible_controls(text)


def test_a_long_paragraph_is_cut_at_sentence_ends_within_the_chunk_size() -> None:
    sentence = "The council met again on Tuesday and the mayor said nothing new about the plan. "
    text = sentence * (3 * CHUNK_CHARS // len(sentence))
    blocks = clean(text)
    assert len(blocks) >= 3
    assert all(len(block.text) <= CHUNK_CHARS and block.text.endswith(".") for block in blocks)
    assert " ".join(block.text for block in blocks).split() == text.split()


def test_a_long_run_without_spaces_is_still_cut() -> None:
    blocks = clean("x" * (2 * CHUNK_CHARS + 5))
    assert [len(block.text) for block in blocks] == [CHUNK_CHARS, CHUNK_CHARS, 5]


def test_parse_refuses_a_million_and_a_half_character_paragraph_with_one_line() -> None:
    """spaCy's own limit (E088) would crash after the models load; the limit speaks first."""
    from stance.sentences import parse

    with pytest.raises(StanceError) as caught:
        parse("The council met again and nothing was decided. " * 31_250, "A", "a.txt")
    message = str(caught.value)
    assert "\n" not in message and message.startswith("a.txt: too long")
    assert f"{MAX_CHARS:,}" in message
