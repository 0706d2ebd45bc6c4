"""Make the lesson files that ship with nnsim (nnsim/lessons/scenarios/*.json, package
data): scenarios with a lesson block, each focused on one idea (``nnsim --lesson NAME``
opens one).

Re-runnable; the output is committed. Run: python tools/make_lessons.py
A teacher's own lesson is the same kind of file: save a scenario (Ctrl+S), add a "lesson"
object by hand (see README), open it with ``nnsim --load``.
"""
from pathlib import Path

from nnsim.core import Session, Settings, scenario
from nnsim.core.lesson import Lesson

LESSONS_DIR = Path(__file__).resolve().parents[1] / "nnsim" / "lessons" / "scenarios"

#: name -> (settings, lesson)
LESSONS = {
    "why-hidden-layers": (
        Settings(dataset="circle", hidden=(), activation="tanh", eta=0.03, noise=0.05),
        Lesson("Why hidden layers",
               ("No hidden layer: the network can only draw a straight line. Press Space and "
                "watch it fail on the circle.",
                "Press L to add a hidden layer, R to reset, Space again: the boundary bends "
                "around the inner class.",
                "How few neurons does it take? Try 1, 2, 3 with the + and - under the layer."),
               hidden=("features", "dataset", "optimizer", "regularization", "experiments"),
               locked=("activation", "learning_rate", "batch"))),
    "learning-rate": (
        Settings(dataset="xor", hidden=(4, 4), activation="tanh", eta=0.0003, noise=0.05),
        Lesson("Learning rate",
               ("Only the learning rate η matters today: [ and ] (or the slider) change it, "
                "R resets the weights, Space trains.",
                "Too small: the loss creeps down for ages. Too large: it jumps about or "
                "blows up.",
                "Find the largest η that still settles smoothly."),
               hidden=("dataset", "noise", "points", "test_ratio", "regenerate", "layers",
                       "neurons", "features", "activation", "optimizer", "regularization",
                       "experiments"),
               locked=("batch",))),
    "overfitting": (
        Settings(dataset="circle", points=60, noise=0.35, seed=3, hidden=(8, 8, 8),
                 activation="relu", eta=0.01, batch=8, optimizer="adam"),
        Lesson("Overfitting",
               ("Few noisy points and a big network. Press V to show the test points, then "
                "Space.",
                "The training loss falls to 0 while the test loss (orange) turns back up: the "
                "network learns the noise.",
                "Now try L2 regularization, or fewer neurons, and compare the test loss."),
               hidden=("dataset", "features", "experiments"),
               locked=("points", "noise", "test_ratio"))),
}


def main():
    LESSONS_DIR.mkdir(parents=True, exist_ok=True)
    for name, (settings, lesson) in LESSONS.items():
        session = Session(settings)
        session.lesson = lesson
        scenario.save(session, LESSONS_DIR / f"{name}.json", weights=False)
        print(f"wrote {LESSONS_DIR / name}.json")


if __name__ == "__main__":
    main()
