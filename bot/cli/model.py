"""`python -m bot nlp ...` and `python -m bot train`: the spaCy pipeline and the Rasa model."""

from __future__ import annotations

import argparse
import logging

from bot import settings
from bot.nlp import pipeline


def register(subparsers: argparse._SubParsersAction) -> None:
    nlp = subparsers.add_parser("nlp", help="Den danske spaCy-pipeline")
    nlp_sub = nlp.add_subparsers(dest="nlp_command", required=True)
    ensure = nlp_sub.add_parser("ensure", help="Installér da_core_news_sm, ellers byg offline-pipelinen")
    ensure.add_argument("--offline", action="store_true", help="Prøv ikke at downloade")
    ensure.set_defaults(func=_ensure)
    build = nlp_sub.add_parser("build-offline", help="Byg offline-pipelinen")
    build.set_defaults(func=_build_offline)
    info = nlp_sub.add_parser("info", help="Hvilken pipeline er aktiv")
    info.set_defaults(func=_info)

    train = subparsers.add_parser("train", help="Træn en model, hvis ingen er aktuel")
    train.add_argument("--force", action="store_true")
    train.set_defaults(func=_train)


def _ensure(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    offline = args.offline or settings.spacy_offline()
    info = pipeline.ensure_pipeline(allow_download=not offline)
    print(f"spaCy pipeline: {pipeline.summary_line(info)}")
    return 0


def _build_offline(args: argparse.Namespace) -> int:
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
    pipeline.build_offline()
    print(f"spaCy pipeline: {pipeline.summary_line(pipeline.describe())}")
    return 0


def _info(args: argparse.Namespace) -> int:
    print(pipeline.summary_line(pipeline.describe()))
    return 0


def _train(args: argparse.Namespace) -> int:
    from bot.training import train_if_needed

    train_if_needed(force=args.force)
    return 0
