"""Make the lesson files that ship with nnsim (nnsim/lessons/scenarios/*.json, package
data): scenarios with a lesson block, each focused on one idea (``nnsim --lesson NAME``
opens one).

Re-runnable; the output is committed. Run: python tools/make_lessons.py
The shipped lessons' title and notes are catalogue keys (their English is in
nnsim/lessons/locale/en.po, so they are translated with the app). A teacher's own lesson is
the same kind of file with its words in it: save a scenario (Ctrl+S), add a "lesson" object
by hand (see README), open it with ``nnsim --load``.
"""
from pathlib import Path

from nnsim.core import Session, Settings, scenario
from nnsim.core.lesson import Lesson

LESSONS_DIR = Path(__file__).resolve().parents[1] / "nnsim" / "lessons" / "scenarios"

#: name -> (settings, lesson)
LESSONS = {
    "why-hidden-layers": (
        Settings(dataset="circle", hidden=(), activation="tanh", eta=0.03, noise=0.05,
                 optimizer="sgd"),
        Lesson("lesson.why-hidden-layers.title",
               ("lesson.why-hidden-layers.note_1",
                "lesson.why-hidden-layers.note_2",
                "lesson.why-hidden-layers.note_3"),
               hidden=("features", "dataset", "optimizer", "regularization", "experiments",
                       "formula", "checker_size", "extra_features", "loss", "schedule", "stop",
                       "batch_norm", "dropout", "residual", "init"),
               locked=("activation", "learning_rate", "batch"))),
    "learning-rate": (
        Settings(dataset="xor", hidden=(4, 4), activation="tanh", eta=0.0003, noise=0.05,
                 optimizer="sgd"),
        Lesson("lesson.learning-rate.title",
               ("lesson.learning-rate.note_1",
                "lesson.learning-rate.note_2",
                "lesson.learning-rate.note_3"),
               hidden=("dataset", "noise", "points", "test_ratio", "regenerate", "layers",
                       "neurons", "features", "activation", "optimizer", "regularization",
                       "experiments", "formula", "checker_size", "extra_features", "loss",
                       "stop", "batch_norm", "dropout", "residual", "init"),
               locked=("batch",))),
    "overfitting": (
        Settings(dataset="circle", points=60, noise=0.35, seed=3, hidden=(8, 8, 8),
                 activation="relu", eta=0.01, batch=8, optimizer="adam"),
        Lesson("lesson.overfitting.title",
               ("lesson.overfitting.note_1",
                "lesson.overfitting.note_2",
                "lesson.overfitting.note_3"),
               hidden=("dataset", "features", "experiments", "formula", "checker_size",
                       "extra_features"),
               locked=("points", "noise", "test_ratio"))),
}


def main(folder=LESSONS_DIR):
    """Write every lesson of LESSONS into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (settings, lesson) in LESSONS.items():
        session = Session(settings)
        session.lesson = lesson
        scenario.save(session, folder / f"{name}.json", weights=False)
        print(f"wrote {folder / name}.json")


if __name__ == "__main__":
    main()
