"""Train the similarity model (`pipeline.semantic`) on a UPR Info export.

Every row's text is normalized as the clusters see it (`pipeline.clusters.normalize`: stems,
treaty keys, no State list or weak opener), turned into TF-IDF over stems and stem pairs found in
at least `min_df` rows, and reduced by a seeded truncated SVD to `dimensions` components. The
components are stored as int8 with one scale per component. No labels are used: the model learns
which words go together from the texts alone, so any UPR Info export (or any CSV with a Text
column of recommendations) can train it. Needs scikit-learn (the `dev` extra).

The settings below were chosen on the Slovenia 2019 cluster gold (bench/bench_clusters.py): 400
dimensions did better than 200 or 300 at every vocabulary size tried, and pruning the vocabulary
to terms in at least 10 rows kept the scores while making the model small.

Example:
    metadata = train(Path("upr_info_sessions_1-20.csv"), DEFAULT_MODEL_DIR, seed=0)
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from uprdex.pipeline.clusters import load_treaties, normalize
from uprdex.pipeline.clusters.normalize import NORMALIZATION
from uprdex.pipeline.errors import UprdexError
from uprdex.pipeline.extras import require
from uprdex.pipeline.model_files import write_arrays, write_metadata
from uprdex.pipeline.semantic import METADATA_FILE, MODEL_FILE, MODEL_FORMAT
from uprdex.pipeline.tfidf import vocabulary_blob
from uprdex.pipeline.train_themes import file_sha256

__all__ = [
    "CONFIG",
    "TrainSemanticError",
    "quantize_components",
    "read_texts",
    "text_model_version",
    "train",
]

CONFIG: dict[str, Any] = {
    "revision": 8,
    "dimensions": 400,
    "min_df": 10,
    "ngram_range": [1, 2],
}
"""revision: the training procedure, in the model version beside how the texts are
normalized (`normalize.NORMALIZATION`). Until 8 it counted the normalization revisions too (2:
each distinct text counted once; 3: Snowball stems; 4-8: normalizations of treaties, openers,
State lists and abbreviations)."""


class TrainSemanticError(UprdexError, ValueError):
    """The training data cannot train a similarity model."""


def text_model_version(model_format: int, revision: int, data_sha: str, seed: int) -> str:
    """The version of a model trained on the export's normalized texts: its format, its
    procedure's revision, how the texts were normalized, the data and the seed."""
    return f"{model_format}.{revision}+norm.{NORMALIZATION}.data.{data_sha[:12]}.seed{seed}"


def read_texts(csv_path: Path) -> list[str]:
    """The distinct recommendations (Text column) normalized for matching, in file order.

    The export repeats a text once per recommending State; counting it once keeps a joint
    recommendation from weighing more than others in the model.
    """
    treaties = load_treaties()
    with csv_path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if "Text" not in (reader.fieldnames or []):
            raise TrainSemanticError(f"{csv_path}: no Text column")
        texts = dict.fromkeys(normalize(row["Text"] or "", treaties) for row in reader)
    return [text for text in texts if text]


def quantize_components(components: npt.NDArray[Any]) -> dict[str, npt.NDArray[Any]]:
    """SVD components (dimensions x terms) as int8 with one scale per component."""
    scale = np.abs(components).max(axis=1) / 127
    scale[scale == 0] = 1.0
    return {
        "components_int8": np.round(components / scale[:, None]).astype(np.int8),
        "components_scale": scale.astype(np.float32),
    }


def train(
    csv_path: Path,
    out_dir: Path,
    seed: int = 0,
    dimensions: int | None = None,
    min_df: int | None = None,
) -> dict[str, Any]:
    """Fit TF-IDF and the truncated SVD on the export's texts; write model and metadata.

    dimensions, min_df: instead of `CONFIG`'s (for small samples).
    Returns the metadata written to out_dir/metadata.json.
    """
    sklearn = require("sklearn", "train", "uprdex train-similarity")
    from sklearn.decomposition import TruncatedSVD  # type: ignore[import-untyped]
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

    texts = read_texts(csv_path)
    dimensions = CONFIG["dimensions"] if dimensions is None else dimensions
    min_df = CONFIG["min_df"] if min_df is None else min_df
    if len(texts) < dimensions * 2:
        raise TrainSemanticError(
            f"{csv_path}: {len(texts)} texts; need at least {dimensions * 2} to train "
            f"{dimensions} dimensions"
        )
    vectorizer = TfidfVectorizer(
        ngram_range=tuple(CONFIG["ngram_range"]),
        min_df=min_df,
        sublinear_tf=True,
        token_pattern=r"\S+",
        lowercase=False,
        dtype=np.float64,
    )
    matrix = vectorizer.fit_transform(texts)
    svd = TruncatedSVD(dimensions, random_state=seed).fit(matrix)
    data_sha = file_sha256(csv_path)
    metadata: dict[str, Any] = {
        "format": MODEL_FORMAT,
        "version": text_model_version(MODEL_FORMAT, CONFIG["revision"], data_sha, seed),
        "data_file": csv_path.name,
        "data_sha256": data_sha,
        "seed": seed,
        "texts": len(texts),
        "terms": len(vectorizer.vocabulary_),
        "dimensions": dimensions,
        "min_df": min_df,
        "ngram_range": CONFIG["ngram_range"],
        "explained_variance": round(float(svd.explained_variance_ratio_.sum()), 4),
        "sklearn": sklearn.__version__,
    }
    write_arrays(
        out_dir / MODEL_FILE,
        {
            "vocab": vocabulary_blob(vectorizer.get_feature_names_out()),
            "idf": vectorizer.idf_.astype(np.float32),
            **quantize_components(svd.components_),
        },
    )
    write_metadata(out_dir / METADATA_FILE, metadata)
    return metadata
