"""Export a session's network as a standalone PyTorch script (nnsim itself never imports
torch): it rebuilds the same network as a torch.nn.Sequential of hidden layers (a small
module: linear, BatchNorm1d, activation, Dropout, residual add) and an output Linear, loads
the weights and batch normalization's statistics embedded as exact literals, evaluates as
the app does (running statistics, no dropout), and prints its accuracy and the loss nnsim
trained with (cross-entropy, or squared error on the softmax) on the scenario's points (a
regression network: its mean squared error, torch.nn.MSELoss).

Everything put into the script's source is a literal written by repr, a number, or a name
from nnsim's own tables; the script's file name is chosen by the user, so it appears only
as a repr inside a comment, where no character of it can end the comment or run. A typed
feature's expression is written from its parsed tree (``Formula.torch``), never from its text.
"""
from .config import ACTIVATION_TABLE, BN_EPS, BN_MOMENTUM, choose
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
ACTIVATIONS = [{activations}]   # per hidden layer: phi
NORMS = {norms}   # per hidden layer: None, or batch norm's (gamma, beta, running mean, running var)
DROPOUT = {dropout}   # per hidden layer: its rate (while training only; the script evaluates)
RESIDUAL = {residual}   # per hidden layer: a = phi(...) + a_prev
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


class Hidden(torch.nn.Module):
    """A hidden layer: z = W a_prev + b, batch normalization, a = phi(.), dropout, and with a
    residual link a + a_prev."""

    def __init__(self, linear, norm, activation, dropout, residual):
        super().__init__()
        self.linear, self.norm, self.activation = linear, norm, activation
        self.dropout, self.residual = dropout, residual

    def forward(self, a_prev):
        a = self.dropout(self.activation(self.norm(self.linear(a_prev))))
        return a + a_prev if self.residual else a


def linear(W, b):
    layer = torch.nn.Linear(len(W[0]), len(W), dtype=torch.float64)
    with torch.no_grad():
        layer.weight.copy_(torch.tensor(W, dtype=torch.float64))
        layer.bias.copy_(torch.tensor(b, dtype=torch.float64))
    return layer


def norm(stats):
    if stats is None:
        return torch.nn.Identity()
    layer = torch.nn.BatchNorm1d(len(stats[0]), eps={bn_eps!r}, momentum={bn_momentum!r},
                                 dtype=torch.float64)
    with torch.no_grad():
        for tensor, values in zip((layer.weight, layer.bias, layer.running_mean,
                                   layer.running_var), stats):
            tensor.copy_(torch.tensor(values, dtype=torch.float64))
    return layer


def build_model():
    hidden = [Hidden(linear(W, b), norm(stats), activation, torch.nn.Dropout(p), residual)
              for (W, b), activation, stats, p, residual
              in zip(WEIGHTS, ACTIVATIONS, NORMS, DROPOUT, RESIDUAL)]
    model = torch.nn.Sequential(*hidden, linear(*WEIGHTS[-1]))
    return model.eval()       # batch norm with its running statistics, and no dropout


model = build_model()
inputs = features(torch.tensor(POINTS, dtype=torch.float64).reshape(-1, 2))
{tail}'''


CLASSIFICATION = '''labels = torch.tensor(LABELS, dtype=torch.long)
LOSS = {loss!r}   # what nnsim trained with: "cross-entropy", or "squared" error on the softmax


def predict_proba():
    """Class probabilities of every point: softmax of the network's output."""
    with torch.no_grad():
        return torch.softmax(model(inputs), dim=1)


def loss(logits, labels):
    """The mean loss nnsim trained with (without L1/L2): cross-entropy, or 1/2 the squared
    distance of the softmax from the one-hot label."""
    if LOSS == "squared":
        onehot = torch.nn.functional.one_hot(labels, logits.shape[1]).double()
        return 0.5 * ((torch.softmax(logits, dim=1) - onehot) ** 2).sum(dim=1).mean()
    return torch.nn.functional.cross_entropy(logits, labels)


if __name__ == "__main__":
    with torch.no_grad():
        logits = model(inputs)
    correct = logits.argmax(dim=1) == labels
    test = torch.tensor(TEST, dtype=torch.bool)
    for name, mask in (("training", ~test), ("test", test)):
        if mask.any():
            print(f"{{name}} accuracy: {{correct[mask].double().mean().item():.4f}} "
                  f"on {{int(mask.sum())}} points; {{LOSS}} loss "
                  f"{{loss(logits[mask], labels[mask]).item():.6f}}")
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
    norms = "[" + ", ".join(
        "None" if not gb else
        "(" + ", ".join(_floats(values) for values in (*gb, *net.running[l])) + ")"
        for l, (_, _, *gb) in enumerate(net.layers_of(net.theta)[:-1], start=1)) + "]"
    activation = net.activation if isinstance(net.activation, str) else ", ".join(net.activation)
    return TEMPLATE.format(
        sizes=" → ".join(str(int(n)) for n in net.sizes), activation=activation,
        epochs=int(session.epoch), name=repr(str(name)), features=list(session.settings.features),
        extra=list(session.settings.extra_features),
        extra_columns=", ".join(parse(text, "value").torch() for text in session.settings.extra_features),
        weights=weights,
        points="[" + ", ".join(f"[{x!r}, {y!r}]" for x, y in session.X.tolist()) + "]",
        labels=([float(c) for c in session.y.tolist()] if net.regression
                else [int(c) for c in session.y.tolist()]),
        test=[bool(t) for t in session.test.tolist()],
        tail=REGRESSION if net.regression else CLASSIFICATION.format(loss=session.settings.loss),
        activations=", ".join(choose(name, ACTIVATION_TABLE, "activation").torch
                              for name in net.arch.act),
        norms=norms, dropout=[float(p) for p in net.arch.drop],
        residual=[bool(r) for r in net.arch.res], bn_eps=BN_EPS, bn_momentum=BN_MOMENTUM)
