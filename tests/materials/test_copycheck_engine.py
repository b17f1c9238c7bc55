"""The matching engine on its own: normalisation, fingerprints, the winnowing guarantee, and
precision/recall of the evaluation command on a small built-in set."""

import io
import random
import re

import pytest
from django.core.management import call_command

from materials.copycheck import engine
from materials.copycheck.stock import from_seeds, stock_hashes


def test_normalisation_ignores_punctuation_space_and_width_and_maps_back():
    text = "一、ＡＢＣ　１２３，认真 贯彻。\n（二）abc"
    norm, offsets = engine.normalise(text)
    assert norm == "一abc123认真贯彻二abc"
    assert [text[offsets[i]] for i in range(len(norm))] == list("一ＡＢＣ１２３认真贯彻二abc")
    assert engine.normalise_only(text) == norm


def test_changed_punctuation_and_width_give_the_same_fingerprints():
    plain = "去年全县开展城区供水管网改造，我作为分管领导只在开工仪式上露了一次面，停水累计11天。"
    noisy = "去年全县开展城区供水管网改造,我作为分管领导 只在开工仪式上露了一次面 ；停水累计１１天."
    assert engine.fingerprints(engine.normalise_only(plain)) == engine.fingerprints(
        engine.normalise_only(noisy)
    )


def test_every_shared_run_of_k_plus_w_minus_1_characters_gives_a_common_fingerprint():
    r = random.Random(1)
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 400)]
    for _ in range(50):
        shared = "".join(r.choice(alphabet) for _ in range(engine.K + engine.W - 1))
        a = "".join(r.choice(alphabet) for _ in range(r.randint(0, 300))) + shared
        b = shared + "".join(r.choice(alphabet) for _ in range(r.randint(0, 300)))
        common = {h for h, _p in engine.fingerprints(a)} & {h for h, _p in engine.fingerprints(b)}
        assert common


def test_stock_phrases_come_from_the_seeds_quotes_and_shared_formulae():
    phrases = from_seeds(
        [
            "要认真贯彻“照镜子、正衣冠、洗洗澡、治治病”的总要求，坚持问题导向。",
            "必须认真贯彻“照镜子、正衣冠、洗洗澡、治治病”的总要求，搞好第二批活动。",
        ]
    )
    assert "照镜子正衣冠洗洗澡治治病" in "".join(phrases)
    assert any("认真贯彻照镜子正衣冠洗洗澡治治病的总要求" in p for p in phrases)
    assert not any("坚持问题导向" in p for p in phrases)
    assert engine.shingle_hashes("照镜子正衣冠洗洗澡治治病")[0] in stock_hashes()


@pytest.mark.django_db
def test_the_evaluation_meets_the_precision_and_recall_targets():
    out = io.StringIO()
    call_command(
        "copycheck_eval",
        "--seed=3",
        "--copies=40",
        "--independent=20",
        "--background=60",
        "--models=10",
        "--seeds=/nonexistent",
        stdout=out,
    )
    report = out.getvalue()
    precision = float(re.search(r"precision: ([0-9.]+)", report).group(1))
    recall = float(re.search(r"recall: +([0-9.]+)", report).group(1))
    copies = int(re.search(r"copies inserted: (\d+)", report).group(1))
    assert copies >= 40
    assert precision >= 0.95, report
    assert recall >= 0.90, report
    for kind in ("exact", "edited", "reordered"):
        assert f"recall {kind}" in report
