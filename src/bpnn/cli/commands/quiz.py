"""``bpnn quiz``: a new exercise of the lecture's kind from a seed, its answers,
and the marking of a student's answers."""

from __future__ import annotations

import argparse

HELP_EXAMPLE = """examples:
  bpnn quiz --seed 7                       a 2-1-1 sigmoid exercise, as an answer form
  bpnn quiz --seed 7 --answers             its key: each answer rounded, and exact
  bpnn quiz --seed 7 --check "layer1.h=-0.85, layer1.a=0.299"
  bpnn quiz --seed 7 --check mine.txt      mark a filled-in form
  bpnn quiz --seed 7 --layers 3,4,2,1 --bias --batch 2 --lang zh
  bpnn quiz --seed 7 --figure q7.svg       also draw the network with the givens
  bpnn quiz --seed 1-30 --sheet class/     worksheets and keys as Markdown, one a seed

The printed exercise is an answer form: replace each ? by a number and pass the
file to --check with the same seed and options. Answers are right when they lie
within half a unit of the last significant figure asked (--digits, default 3).
"""


def add_parser(sub):
    p = sub.add_parser(
        "quiz",
        help="a new backprop exercise from a seed; its answers; marking",
        description="Make an exercise like the lecture's (反向传播练习): a small "
        "network with short round numbers, and the questions in the lecture's "
        "order (h, a, ŷ, error, output error term, hidden error terms, weight "
        "steps). The same seed gives the same exercise on every machine.",
        epilog=HELP_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "--seed",
        "--seeds",
        default="1",
        help="the exercise's seed; with --sheet also a range 1-30 or a list 1,4,9",
    )
    p.add_argument("--layers", default="2,1,1", help="layer sizes (default 2,1,1)")
    p.add_argument(
        "--activations",
        default="sigmoid",
        help="one activation for every layer or one per layer (default sigmoid)",
    )
    p.add_argument("--loss", default="half_mse", help="loss (default half_mse)")
    p.add_argument("--batch", type=int, default=1, help="records (default 1)")
    p.add_argument(
        "--bias",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="give each layer a bias (default: none, as in the lecture)",
    )
    p.add_argument(
        "--digits", type=int, default=3, help="significant figures asked (default 3)"
    )
    p.add_argument("--answers", action="store_true", help="print the answer key")
    p.add_argument("--check", metavar="ANSWERS", help="a file or key=value,... to mark")
    p.add_argument("--sheet", metavar="DIR", help="write worksheets and keys here")
    from .explain import add_figure_option, add_output_options

    add_output_options(p, precision=False)
    add_figure_option(p)
    p.set_defaults(run=run)


def run(args):
    from ...errors import UsageError
    from ...explain import quiz_text
    from ...explain.quiz import make_quiz
    from . import _spec

    seeds = parse_seeds(args.seed)
    sizes = _spec.parse_sizes(args.layers)
    acts = _spec.parse_names(args.activations, len(sizes) - 1)
    if args.batch < 1:
        raise UsageError(f"--batch must be >= 1, got {args.batch}")
    if not 1 <= args.digits <= 9:
        raise UsageError(f"--digits must be from 1 to 9, got {args.digits}")
    if len(seeds) > 1 and not args.sheet:
        raise UsageError(
            f"--seed {args.seed} names {len(seeds)} exercises: write them with "
            "--sheet DIR, or give one seed"
        )
    quizzes = [
        make_quiz(s, sizes, acts, args.loss, args.batch, args.bias, args.digits)
        for s in seeds
    ]
    if args.sheet:
        from ...explain.quiz_sheet import write_sheets

        written = write_sheets(quizzes, args.sheet, args.lang)
        print(f"wrote {len(written)} files to {args.sheet}")
        return 0
    quiz = quizzes[0]
    if args.figure:
        from ...explain.drawing import save

        stage = "update" if args.answers else "given"
        save(quiz.trace, args.figure, args.lang, stage)
    if args.check:
        return check(quiz, args)
    if args.json:
        print(dumps(quiz_text.to_dict(quiz, answers=args.answers)))
    elif args.answers:
        print(quiz_text.answers_text(quiz, args.lang), end="")
    else:
        print(quiz_text.questions_text(quiz, args.lang), end="")
    return 0


def check(quiz, args):
    """Mark the answers: exit 0 when all are right, 1 otherwise."""
    from ...explain import quiz_check

    marks = quiz_check.mark(quiz, quiz_check.read_answers(args.check))
    if args.json:
        import json

        rows = [
            {
                "key": m.question.key,
                "given": m.given,
                "exact": m.question.exact,
                "right": m.right(quiz.digits),
            }
            for m in marks
        ]
        print(json.dumps({"seed": quiz.seed, "marks": rows}, ensure_ascii=False))
    else:
        print(quiz_check.report(quiz, marks, args.lang), end="")
    return 0 if all(m.right(quiz.digits) for m in marks) else 1


def dumps(record):
    """JSON with each top-level entry and each question on a line of its own."""
    import json

    def one(value):
        return json.dumps(value, ensure_ascii=False)

    questions = [f"  {one(q)}" for q in record.pop("questions")]
    lines = [f" {one(key)}: {one(value)}," for key, value in record.items()]
    lines += [' "questions": [', ",\n".join(questions), " ]"]
    return "{\n" + "\n".join(lines) + "\n}"


def parse_seeds(text):
    """``7``, ``1-30`` or ``1,4,9`` -> a list of seeds (at most 1000)."""
    from ...errors import UsageError

    seeds = []
    try:
        for part in str(text).split(","):
            low, dash, high = part.strip().partition("-")
            first = int(low)
            last = int(high) if dash else first
            seeds += range(first, last + 1)
    except ValueError:
        raise UsageError(
            f"--seed takes a whole number, a range 1-30 or a list 1,4,9; got {text!r}"
        ) from None
    if not seeds or min(seeds) < 0:
        raise UsageError(f"--seed takes seeds >= 0 (a range low-high), got {text!r}")
    if len(seeds) > 1000:
        raise UsageError(f"--seed names {len(seeds)} exercises; at most 1000 at once")
    return seeds
