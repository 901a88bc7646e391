"""Treaty-name reading fixes with the full model retrain (issue #19 part 4, recurring asks;
review22 findings 1 and 3; helper treaty). PRE-REGISTERED: this docstring (the fixes, the
protocols and the lead's ship rule, copied verbatim) is committed before the first scored run.

The fixes are bench/recurcar_fixes.patch (REPORT-recurcar.md, bench/recurcar_trial.py):
1. `TreatyTable.replace` merges a key printed straight after itself during each pass ("the
   Optional Protocol to the Convention on the Rights of the Child (CRC) on the involvement of
   children in armed conflict" reads as OPAC, not "crc crc");
2. aliases of opiccpr2 so that "Optional Protocol to the ICCPR/International Covenant ...,
   aiming at the abolition of the death penalty" reads as the Second Protocol;
3. "adhesion to" reads as ratifying.
The plural "the Optional Protocols to the CRC" (A/HRC/12/2 74.5) is considered only if its
reading is clear from the words; nothing is guessed from context (A/HRC/25/11 104.6 stays).
NORMALIZATION is bumped; the models that read normalized texts are retrained with the
documented commands from the same training data, in the project's order (666bfae): `uprdex
train-similarity` and `uprdex train-word-vectors` on the UPR Info export (seed 0), `uprdex
train-pairs bench/gold/pairs_training.csv`, `bench/recurrence_learned.py --no-test --write
data/models/recurrence`; each rebuilt twice to check the same bytes.

Arms: "today" = the code and models of main 1d6eb96 (this branch's base); "new" = the fixes,
NORMALIZATION bumped and the retrained models. Each arm's features are computed by that arm's
code and models (`--save ARM`, cached in /tmp/treaty/ARM-*.pkl/.npz), both arms then scored in
one run by the same protocol code (`--compare`), as bench/recurcar_trial.py did.

SHIP RULE, pre-registered by the project lead before any scored run (verbatim):

 The fixes are reading bugs, so they ship unless they regress beyond noise. Ship only if ALL hold:
 (a) correctness: over the asks of all 245 WG reports in /work/shared/data, list every ask whose treaty keys change between the old and new normalize; read each against its printed text (if more than 60, all of them still listed, and a random sample of 60 read, seed fixed); zero wrong readings in what you read.
 (b) after the full retrain, the cluster protocol on the 12 TUNING reviews, leave one review out (bench/cluster_protocol.py / the tuning group in bench/review_groups.py, as bench/bridge3_trial.py scored them): mean F1 not down by more than 0.005 and mean precision not down by more than 0.005 against today's shipped models scored in the same run.
 (c) the recurrence protocol on the 13 tuning pairs (as bench/recurcar_trial.py / bench/recurrence_learned.py, link model retrained per fold): mean F1 not down; mean precision not down by more than 0.010.
 NEVER score or read the five gold TEST reviews (Slovenia 2019, Nigeria 2013, Viet Nam 2014, Costa Rica 2014, Norway 2014), the Viet Nam 2009-2014 recurring pair, or the FRESH pairs: the lead scores those after the decision. Do not change any cluster default or threshold; only the reading fixes and the retrained models.

How each part is run here (fixed before any score):
(a) `--list`: the asks of the 245 WG reports of /work/shared/data/wg_reports as uprdex prints
    them (one `uprdex ingest` of all 245 into a scratch index by this branch's code), each ask's
    treaty keys (the keys of the treaty table that `normalize` leaves in its text) under the
    today and new code (the today code run from a copy of 1d6eb96's pipeline and data), every
    ask whose keys differ listed with both key sets and its printed text. Because the rule's
    NEVER outranks "all 245", the WG reports of the five test reviews, of Viet Nam 2009 and of
    the FRESH recurring pairs (bench/recurrence_protocol.py) are left out of the listing, unread
    (the lead can list them after the decision). If more than 60 asks change, a sample of 60
    (random.Random(20261207)) is read.
(b) `--save ARM` then `--compare`: bench/cluster_protocol.py's `load_reviews(tuning=True,
    tests=False)` and `learned_method(ClusterSettings())` leave-one-out (each fold's pair model
    trained by `train_reviews` on the 11 other tuning reviews with the arm's similarity model
    and word vectors; the held-out review clustered at the defaults), scored by its `score`.
(c) bench/recurcar_trial.py's protocol: each of the 13 pairs (ALL_TUNING + MORE_TUNING) left
    out, the link model trained by `train_recurrence.train` on the 12 others from the arm's
    features (the arm's code, similarity model, word vectors and pair model).
"""
