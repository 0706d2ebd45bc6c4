"""Export a session's network as a standalone PyTorch script (nnsim itself never imports
torch): it rebuilds the same torch.nn.Sequential, loads the weights embedded as exact
literals, and prints its accuracy on the scenario's points (a regression network: its mean
squared error, torch.nn.MSELoss).

Everything put into the script's source is a literal written by repr, a number, or a name
from nnsim's own tables; the script's file name is chosen by the user, so it appears only
as a repr inside a comment, where no character of it can end the comment or run. A typed
feature's expression is written from its parsed tree (``Formula.torch``), never from its text.
"""
from .config import ACTIVATION_TABLE, choose
from .formula import parse
from .network import Network

TEMPLATE = '''"""An nnsim network as PyTorch: {sizes} with {activation} hidden layers, {epochs} epochs trained.

Exported by nnsim; it needs only torch.
"""
# Run it: python {name}
import torch

FEATURES = {features!r}
EXTRA_FEATURES = {extra!r}   # typed formulas, computed by extra_columns
WEIGHTS = {weights}   # per layer: (W with shape (out, in), b), so z = W a + b
POINTS = {points}
LABELS = {labels}
TEST = {test}   # True: a test point, False: a training point


def c(value):
    """A number as a float64 tensor, so the formulas' constants follow torch's arithmetic."""
    return torch.tensor(value, dtype=torch.float64)


def extra_columns(x1, x2):
    """The columns of EXTRA_FEATURES, in their order."""
    return [{extra_columns}]


def features(points):
    """The network's input columns from points (x1, x2)."""
    x1, x2 = points[:, 0], points[:, 1]
    columns = {{"x1": x1, "x2": x2, "x1^2": x1 * x1, "x2^2": x2 * x2, "x1*x2": x1 * x2,
               "sin x1": torch.sin(x1), "sin x2": torch.sin(x2)}}
    return torch.stack([columns[name] for name in FEATURES] + extra_columns(x1, x2), dim=1)


def build_model():
    layers = []
    for l, (W, b) in enumerate(WEIGHTS, start=1):
        linear = torch.nn.Linear(len(W[0]), len(W), dtype=torch.float64)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(W, dtype=torch.float64))
            linear.bias.copy_(torch.tensor(b, dtype=torch.float64))
        layers.append(linear)
        if l < len(WEIGHTS):
            layers.append({torch_activation})
    return torch.nn.Sequential(*layers)


model = build_model()
inputs = features(torch.tensor(POINTS, dtype=torch.float64).reshape(-1, 2))
{tail}'''


CLASSIFICATION = '''labels = torch.tensor(LABELS, dtype=torch.long)


def predict_proba():
    """Class probabilities of every point: softmax of the network's output."""
    with torch.no_grad():
        return torch.softmax(model(inputs), dim=1)


if __name__ == "__main__":
    correct = predict_proba().argmax(dim=1) == labels
    test = torch.tensor(TEST, dtype=torch.bool)
    for name, mask in (("training", ~test), ("test", test)):
        if mask.any():
            print(f"{name} accuracy: {correct[mask].double().mean().item():.4f} "
                  f"on {int(mask.sum())} points")
'''

REGRESSION = '''targets = torch.tensor(LABELS, dtype=torch.float64)   # a target value per point


def predict():
    """The network's output y_hat (one linear unit) for every point."""
    with torch.no_grad():
        return model(inputs)[:, 0]


if __name__ == "__main__":
    y_hat = predict()
    test = torch.tensor(TEST, dtype=torch.bool)
    mse = torch.nn.MSELoss()
    for name, mask in (("training", ~test), ("test", test)):
        if mask.any():
            print(f"{name} MSE: {mse(y_hat[mask], targets[mask]).item():.6f} "
                  f"on {int(mask.sum())} points")
'''


def _floats(values):
    return "[" + ", ".join(repr(float(v)) for v in values) + "]"


def torch_script(session, name="net.py"):
    """The text of a standalone PyTorch script reproducing ``session``'s network; ``name`` is
    the script's file name, for the line saying how to run it."""
    net: Network = session.net
    weights = "[\n" + "".join(
        f"    ([{', '.join(_floats(row) for row in W)}],\n     {_floats(b)}),\n"
        for W, b in net.params) + "]"
    return TEMPLATE.format(
        sizes=" → ".join(str(int(n)) for n in net.sizes), activation=net.activation,
        epochs=int(session.epoch), name=repr(str(name)), features=list(session.settings.features),
        extra=list(session.settings.extra_features),
        extra_columns=", ".join(parse(text, "value").torch() for text in session.settings.extra_features),
        weights=weights,
        points="[" + ", ".join(f"[{x!r}, {y!r}]" for x, y in session.X.tolist()) + "]",
        labels=([float(c) for c in session.y.tolist()] if net.regression
                else [int(c) for c in session.y.tolist()]),
        test=[bool(t) for t in session.test.tolist()],
        tail=REGRESSION if net.regression else CLASSIFICATION,
        torch_activation=choose(net.activation, ACTIVATION_TABLE, "activation").torch)
