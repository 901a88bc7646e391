"""Keyword themes that name a group or a treaty, added to the classifier's labels: scored.

An export shows the classifier's labels, else the keyword themes (pipeline.exports._themes), so
a keyword hit is not shown when the classifier gives any label: 7 of the 30 asks of the corpus
naming the Maori get no Indigenous peoples. Here the classifier's labels (the shipped model) are
scored against UPR Info's issues, alone and with keyword themes added, on the reviews the
classifier was not trained on: the test reviews of its seeded split by review
(pipeline.train_themes.split_reviews, the seed of data/models/themes/metadata.json; sessions
1-20 all have reviews in train, so no whole session is held out). The same is printed for the
test reviews of sessions 13-20 only, which the keyword lists were not written from either.

Rules scored (pre-registered in session themes3, written and committed before the first run):
- named (the candidate): the classifier's labels plus every theme whose hit matched a phrase
  of its `named:` list in data/themes.yaml (method "named"): phrases that name a group of
  people or a treaty whose subject is that theme, chosen by that meaning, not from scores:
  Indigenous peoples: the named peoples (Maori, Torres Strait, first nations, aboriginal, the
  peoples bench_themes.py's docstring lists) and ILO Convention No. 169; Minorities: Roma,
  Sinti, Dalit; Environment: Paris Agreement, Kyoto Protocol; Disabilities: CRPD; Women's
  rights: CEDAW; Rights of the Child: CRC, OP-CRC-AC, OP-CRC-SC, ILO Convention No. 138 and
  No. 182; Migrants: ICRMW; Corruption: Convention against Corruption; Trafficking: Palermo
  Protocol; Death penalty: second optional protocol; Enforced disappearances: CED; Torture and
  other CID treatment: CAT, OP-CAT, OPCAT; Justice: Rome Statute, International Criminal
  Court, ICC; NHRI: Paris Principles; CP rights - general: ICCPR; ESC rights - general: ICESCR,
  OP-ICESCR; Racial discrimination: ICERD; International humanitarian law: Geneva Conventions,
  Fourth Geneva Convention; Asylum-seekers - refugees: status of refugees; Internally
  displaced persons: guiding principles on internal displacement; Human rights defenders:
  declaration on human rights defenders; Sexual Orientation and Gender Identity: LGBT, LGBTI,
  LGBTIQ.
- all keywords (for comparison only, never shipped): the classifier's labels plus every
  keyword theme.

The bar: the named rule ships if, on the test reviews, its micro F1 is not lower than the
classifier's alone and its micro precision is not lower by more than 0.005. The rows of
sessions 13-20 and the per-theme changes are reported, not part of the bar.

Run: .venv/bin/python bench/bench_theme_named.py
"""
