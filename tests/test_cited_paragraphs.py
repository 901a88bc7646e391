"""Cycle-1 recommendations a lead-in names only by their paragraph of the interactive dialogue.

Pakistan 2008 (A/HRC/8/42) is in neither ../shared/data/wg_reports nor the UPR Info export
here: paragraph 108 below is its wording as issue #22 quotes it (the part the issue elides is
left out), while the section-I paragraphs are constructed in the layout of the cycle-1 reports
of the corpus (Viet Nam 2009, Djibouti 2009): their text and speaking States are invented.
"""

from __future__ import annotations

from uprdex.extractors.wg_report import parse_wg_report
from uprdex.pipeline.model import Line, LoadedDocument, Page, Position, Recommendation

# Constructed section-I paragraphs, each "N. <State> ... recommended that Pakistan (a) ...".
_SPOKEN = {
    23: "Canada welcomed the ratification of ICESCR. It recommended that Pakistan (a) ratify "
    "ICCPR and CAT; (b) repeal the blasphemy laws; (c) establish a national human rights "
    "institution; (d) ensure free elections; (e) protect human rights defenders; (f) abolish "
    "the death penalty.",
    27: "Switzerland asked about the Hudood Ordinances. It recommended that Pakistan (a) train "
    "the police; (b) repeal the Hudood Ordinances.",
    30: "The Netherlands recommended that Pakistan (a) combat honour killings; (b) decriminalize "
    "consensual same-sex relations; (c) protect women from violence; (d) recognize the "
    "Ahmadis as a religious minority.",
    43: "Sweden noted the number of death sentences. It recommended that Pakistan (a) publish "
    "statistics; (b) review its laws; (c) establish a moratorium on executions.",
    62: "Mexico recommended that Pakistan (a) adopt a law on domestic violence; (b) amend the "
    "Pakistan Penal Code to remove discrimination on the ground of religion; (c) invite the "
    "special procedures; (d) accede to the Rome Statute; (e) abolish the death penalty for "
    "persons under 18 at the time of the offence.",
}
_REFUSAL = (
    "108. Pakistan considers that recommendations contained in paragraphs 23(b) and (f), 27(b),",
    "30(b) and (d), 43(c), and 62(b) and (e) in chapter II above are neither universally",
    "recognized human rights nor conform to its existing laws and cannot accept them.",
)


def _page(number: int, texts: list[str]) -> Page:
    lines = tuple(Line(text, number, 100.0 + 12 * i, 70.0, 10.0) for i, text in enumerate(texts))
    return Page(number, lines, 842.0, True)


def _pakistan(refusal: tuple[str, ...] = _REFUSAL) -> dict[str, Recommendation]:
    dialogue = [
        f"{n}. {_SPOKEN.get(n, 'The delegation described the measures taken since 2007.')}"
        for n in range(1, 106)
    ]
    pages = (
        _page(1, ["Report of the Working Group on the Universal Periodic Review", "Pakistan*"]),
        _page(5, dialogue[:40]),  # paragraphs 1-40
        _page(9, dialogue[40:]),  # paragraphs 41-105
        _page(
            17,
            [
                "II. CONCLUSIONS AND/OR RECOMMENDATIONS",
                "106. The recommendations formulated during the interactive dialogue have been "
                "examined by Pakistan and the recommendations listed below enjoy the support of "
                "Pakistan:",
                "1. Continue its efforts to promote the rights of women (Algeria);",
                "2. Establish a national human rights institution (Canada);",
                "107. The following recommendations will be examined by Pakistan which will "
                "provide responses in due time:",
                "1. Consider signing the Rome Statute (Mexico);",
                *refusal,
                "109. All conclusions and/or recommendations contained in the present report "
                "reflect the position of the submitting State(s) and/or the State under review.",
            ],
        ),
    )
    report = parse_wg_report(LoadedDocument("0" * 64, "pakistan2008.pdf", pages, ""))
    return {rec.paragraph: rec for rec in report.recommendations}


def test_asks_the_state_cannot_accept_by_paragraph_are_indexed_as_noted() -> None:
    recs = _pakistan()
    cited = {p: rec for p, rec in recs.items() if "." not in p}
    assert list(cited) == ["23(b)", "23(f)", "27(b)", "30(b)", "30(d)", "43(c)", "62(b)", "62(e)"]
    assert {rec.position for rec in cited.values()} == {Position.NOTED}
    assert {rec.position_paragraph for rec in cited.values()} == {"108"}
    states = {p: rec.recommending_states for p, rec in cited.items()}
    assert states == {
        "23(b)": ("Canada",),
        "23(f)": ("Canada",),
        "27(b)": ("Switzerland",),
        "30(b)": ("Netherlands (Kingdom of the)",),
        "30(d)": ("Netherlands (Kingdom of the)",),
        "43(c)": ("Sweden",),
        "62(b)": ("Mexico",),
        "62(e)": ("Mexico",),
    }
    assert cited["23(b)"].text == "repeal the blasphemy laws"
    assert cited["62(e)"].text.startswith("abolish the death penalty for persons under 18")
    assert cited["27(b)"].page == 5 and cited["43(c)"].page == 9
    for rec in cited.values():
        assert any(w.startswith("cited by reference: paragraph 108") for w in rec.warnings)
    # The lists of paragraphs 106 and 107 are read as before.
    assert recs["106.2"].position is Position.SUPPORTED
    assert recs["107.1"].position is Position.PENDING
    # A paragraph citing section I without a position cites no recommendation: "refers to the
    # responses that it provided in paragraphs 59, 77 and 78" (Malawi 2011, para. 106) points
    # to the State's answers, not to recommendations.
    recs = _pakistan(
        (
            "108. Pakistan refers to the responses that it provided in paragraphs 23, 27 and 30",
            "of section B of the present report.",
        )
    )
    assert [p for p in recs if "." not in p] == []
