import numpy as np

from contradict.pair import Pairer, cross_group_pairs, entity_terms
from contradict.types import Claim


def claim(i, side, text):
    return Claim(id=f"d:c{i}", doc_id="d", text=text, speaker=side, speaker_canonical=side, source=side,
                 side=side, span=(0, len(text)), outlet="o", attribution="said")


def test_entity_terms():
    t = entity_terms("The Kremlin said Yury Ushakov met 40 officials in Moscow.")
    assert {"kremlin", "yury ushakov", "40", "moscow"} <= t
    assert "the" not in t


def test_cross_group_pairs():
    assert cross_group_pairs(["a", "a", "b"]) == 2
    assert cross_group_pairs(["a", "b", "c"]) == 3
    assert cross_group_pairs([]) == 0


def test_only_different_groups_pair(fake_embedder):
    claims = [claim(0, "A", "the talks were proposed by washington"),
              claim(1, "A", "the talks were proposed by washington officials"),
              claim(2, "B", "the talks were proposed by moscow")]
    pairs = Pairer(top_k=5, min_similarity=0.0).pair(claims, fake_embedder.encode([c.text for c in claims]))
    assert {(p.a.id, p.b.id) for p in pairs} == {("d:c0", "d:c2"), ("d:c1", "d:c2")}
    assert all(p.a.side != p.b.side for p in pairs)


def test_floor_and_top_k_bound_the_pairs(fake_embedder):
    rng = np.random.default_rng(0)
    claims = [claim(i, f"S{i % 7}", f"text {i}") for i in range(200)]
    emb = rng.normal(size=(200, 16)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    pairs = Pairer(top_k=3, min_similarity=-1.0, block_size=37).pair(claims, emb)
    assert len(pairs) <= 3 * 200
    assert len({(p.a.id, p.b.id) for p in pairs}) == len(pairs)
    high = Pairer(top_k=3, min_similarity=0.99).pair(claims, emb)
    assert high == []


def test_blocks_do_not_change_the_result():
    rng = np.random.default_rng(1)
    claims = [claim(i, f"S{i % 3}", f"t{i}") for i in range(50)]
    emb = rng.normal(size=(50, 8)).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    a = Pairer(top_k=4, min_similarity=0.0, block_size=7).pair(claims, emb)
    b = Pairer(top_k=4, min_similarity=0.0, block_size=1000).pair(claims, emb)
    assert [(p.a.id, p.b.id) for p in a] == [(p.a.id, p.b.id) for p in b]


def test_shared_entity_bonus_lifts_a_pair_over_the_floor():
    claims = [claim(0, "A", "Ushakov spoke of 40 prisoners"), claim(1, "B", "Ushakov spoke of 25 prisoners")]
    emb = np.array([[1.0, 0.0], [0.6, 0.8]], dtype=np.float32)  # cosine 0.6
    assert Pairer(min_similarity=0.65, entity_bonus=0.0).pair(claims, emb) == []
    pairs = Pairer(min_similarity=0.65, entity_bonus=0.1).pair(claims, emb)
    assert len(pairs) == 1 and "ushakov" in pairs[0].shared_entities


def test_grouping_by_speaker_and_outlet(fake_embedder):
    a = claim(0, "A", "same words here")
    b = Claim(**{**a.__dict__, "id": "d:c1", "speaker_canonical": "Other"})
    emb = fake_embedder.encode([a.text, b.text])
    assert Pairer(by="side", min_similarity=0).pair([a, b], emb) == []
    assert len(Pairer(by="speaker", min_similarity=0).pair([a, b], emb)) == 1
    assert Pairer(by="outlet", min_similarity=0).pair([a, b], emb) == []


def test_fewer_than_two_claims():
    assert Pairer().pair([], np.zeros((0, 4))) == []


def test_claims_sharing_a_matter_pair_across_groups_whatever_their_similarity(fake_embedder):
    from contradict.pair import shared_matter_pairs

    claims = [claim(0, "A", "washington pushed first for the summit"),
              claim(1, "B", "the russians wanted to meet the president"),
              claim(2, "B", "moscow proposed the meeting"),
              claim(3, "A", "the weather was cold"),
              claim(4, "A", "the capital hosted the talks")]
    matters = [frozenset({"initiated"}), frozenset({"initiated"}), frozenset({"initiated"}), frozenset(),
               frozenset({"mediated"})]
    emb = fake_embedder.encode([c.text for c in claims])
    pairs = shared_matter_pairs(claims, matters, emb, top_k=5)
    assert {(p.a.id, p.b.id) for p in pairs} == {("d:c0", "d:c1"), ("d:c0", "d:c2")}  # B with B never pairs
    assert [p.similarity for p in pairs] == sorted((p.similarity for p in pairs), reverse=True)
    kept = shared_matter_pairs(claims, matters, emb, top_k=5, exclude={("d:c0", "d:c2")})
    assert {(p.a.id, p.b.id) for p in kept} == {("d:c0", "d:c1")}
    assert len(shared_matter_pairs(claims, matters, emb, top_k=1)) <= 2  # each claim keeps its best partner
