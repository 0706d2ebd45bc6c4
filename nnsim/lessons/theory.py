"""The theory panel's content: the four passes with their formulas, watch-outs, the PyTorch
names of each piece, and the FAQ; every text is a catalogue key (text.py, locale/en.po). Formulas are mathtext, rendered to images by
tools/make_assets.py (the app loads the images; it never imports matplotlib)."""
import math

from ..core import config
from ..core.config import COSINE_FLOOR, STEP_FACTOR

#: name -> mathtext of each formula image in assets/formulas/. ℒ is the loss, L the index of
#: the last layer; n counts the B examples of a mini-batch, k the classes; g is ∂ℒ/∂W (or
#: ∂ℒ/∂b) and the update rules use the code's names (eta, MOMENTUM mu = 0.9, ADAM_BETA1/2,
#: ADAM_EPS epsilon, adam_t: the step count).
_CE = r"-\dfrac{1}{B}\sum_{n=1}^{B}\,\sum_{k}\, t_{nk}\,\log\,\hat{y}_{nk}"
#: regression's loss: half the mean squared error, so that delta^(L) = y_hat - t
_MSE = r"\dfrac{1}{B}\sum_{n=1}^{B}\,\dfrac{1}{2}\left(\hat{y}_n - t_n\right)^2"
#: squared error on the softmax (TF Playground's loss), per point summed over the classes
_SQ = r"\dfrac{1}{B}\sum_{n=1}^{B}\,\dfrac{1}{2}\sum_{k}\left(\hat{y}_{nk} - t_{nk}\right)^2"
_L1 = r"\;+\;\lambda_1 \sum |w|"
_KEEP = 1 - config.BN_MOMENTUM
_L2 = r"\;+\;\frac{\lambda_2}{2} \sum w^2"
FORMULAS = {
    "forward": r"$z^{(l)} = W^{(l)}\,a^{(l-1)} + b^{(l)} \qquad a^{(l)} = \phi\left(z^{(l)}\right)$",
    "loss": rf"$\mathcal{{L}} = {_CE}$",
    "loss_l1": rf"$\mathcal{{L}} = {_CE}{_L1}$",
    "loss_l2": rf"$\mathcal{{L}} = {_CE}{_L2}$",
    "loss_l1_l2": rf"$\mathcal{{L}} = {_CE}{_L1}{_L2}$",
    "loss_mse": rf"$\mathcal{{L}} = {_MSE}$",
    "loss_sq": rf"$\mathcal{{L}} = {_SQ}$",
    "loss_sq_l1": rf"$\mathcal{{L}} = {_SQ}{_L1}$",
    "loss_sq_l2": rf"$\mathcal{{L}} = {_SQ}{_L2}$",
    "loss_sq_l1_l2": rf"$\mathcal{{L}} = {_SQ}{_L1}{_L2}$",
    "loss_mse_l1": rf"$\mathcal{{L}} = {_MSE}{_L1}$",
    "loss_mse_l2": rf"$\mathcal{{L}} = {_MSE}{_L2}$",
    "loss_mse_l1_l2": rf"$\mathcal{{L}} = {_MSE}{_L1}{_L2}$",
    "backward_output": r"$\delta^{(L)} = \dfrac{\partial \mathcal{L}_n}{\partial z^{(L)}} = \hat{y} - t$",
    "backward_output_mse": r"$\delta^{(L)} = \dfrac{\partial \mathcal{L}_n}{\partial z^{(L)}} = "
                           r"\hat{y} - t \qquad \hat{y} = z^{(L)}$",
    # through the softmax: delta_k = y_hat_k ((y_hat_k - t_k) - sum_c y_hat_c (y_hat_c - t_c))
    "backward_output_sq": r"$\delta^{(L)}_k = \hat{y}_k\left((\hat{y}_k - t_k) - "
                          r"\sum_c \hat{y}_c\,(\hat{y}_c - t_c)\right)$",
    "backward": r"$\delta^{(l)} = \left(W^{(l+1)}\right)^{\!\top} \delta^{(l+1)} \odot \phi'\left(z^{(l)}\right)$",
    "gradients": r"$\dfrac{\partial \mathcal{L}}{\partial W^{(l)}} = \dfrac{1}{B}\sum_{n=1}^{B}"
                 r"\delta^{(l)}_n \left(a^{(l-1)}_n\right)^{\!\top}$",
    "gradients_b": r"$\dfrac{\partial \mathcal{L}}{\partial b^{(l)}} = \dfrac{1}{B}\sum_{n=1}^{B}\delta^{(l)}_n$",
    "update_sgd": r"$W \leftarrow W - \eta\, g \qquad g = \dfrac{\partial \mathcal{L}}{\partial W}$",
    "update_momentum": r"$v \leftarrow \mu\, v + g \qquad W \leftarrow W - \eta\, v$",
    "update_adam": r"$m \leftarrow \beta_1 m + (1-\beta_1)\, g \qquad v \leftarrow \beta_2 v + (1-\beta_2)\, g^2$",
    "update_adam_bias": r"$\hat{m} = \dfrac{m}{1-\beta_1^{\,\mathrm{adam\_t}}} \qquad "
                        r"\hat{v} = \dfrac{v}{1-\beta_2^{\,\mathrm{adam\_t}}}$",
    "update_adam_step": r"$W \leftarrow W - \eta\, \dfrac{\hat{m}}{\sqrt{\hat{v}} + \epsilon}$",
    # the learning rate of epoch e (from 0): core.schedule, W warm-up epochs, period T
    "schedule_warmup": r"$\eta_e = \eta\,\dfrac{e+1}{W} \qquad e < W$",
    "schedule_step": rf"$\eta_e = \eta \cdot {STEP_FACTOR:g}^{{\lfloor e/T \rfloor}}$",
    "schedule_cosine": rf"$\eta_e = \eta\left({COSINE_FLOOR:g} + {1 - COSINE_FLOOR:g}\,"
                       r"\dfrac{1 + \cos\left(\pi \min(e, T)/T\right)}{2}\right)$",
    # batch normalization of a neuron's z over the mini-batch (training), then phi; one
    # equation an image, so that a narrow panel shows them one under the other, legibly
    "bn_mean": r"$\mu_B = \dfrac{1}{B}\sum_{n=1}^{B} z_n$",
    "bn_var": r"$\sigma_B^2 = \dfrac{1}{B}\sum_{n=1}^{B}\left(z_n - \mu_B\right)^2$",
    "bn_normalize": r"$\hat{z} = \dfrac{z - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}$",
    "bn_scale": r"$y = \gamma\,\hat{z} + \beta$",
    # the running statistics each training step moves (the variance's unbiased), and
    # evaluation with them
    "bn_running_mean": rf"$\mu \leftarrow {_KEEP:g}\,\mu + {config.BN_MOMENTUM:g}\,\mu_B$",
    "bn_running_var": rf"$\sigma^2 \leftarrow {_KEEP:g}\,\sigma^2 + {config.BN_MOMENTUM:g}\,"
                      r"\dfrac{B}{B-1}\,\sigma_B^2$",
    "bn_eval": r"$\hat{z} = \dfrac{z - \mu}{\sqrt{\sigma^2 + \epsilon}}$",
    # inverted dropout while training: a fresh mask m per step and point
    "dropout": r"$a^{(l)} = \dfrac{m \odot \phi\left(z^{(l)}\right)}{1-p}$",
    "dropout_mask": r"$m_i \in \{0, 1\} \qquad P(m_i = 0) = p$",
    "residual": r"$a^{(l)} = \phi\left(z^{(l)}\right) + a^{(l-1)}$",
    # the weight initializations of config.INIT_TABLE: N(0, variance)
    "init_he": r"$W^{(l)}_{ij} \sim \mathcal{N}\left(0,\, \dfrac{2}{n_{\mathrm{in}}}\right) \qquad b^{(l)} = 0$",
    "init_xavier": r"$W^{(l)}_{ij} \sim \mathcal{N}\left(0,\, \dfrac{2}{n_{\mathrm{in}} + n_{\mathrm{out}}}"
                   r"\right) \qquad b^{(l)} = 0$",
    "init_zeros": r"$W^{(l)} = 0 \qquad b^{(l)} = 0$",
    "init_large": r"$W^{(l)}_{ij} \sim \mathcal{N}(0,\, 1) \qquad b^{(l)} = 0$",
}


def formulas_for(name, optimizer, l1, l2, regression=False, loss="cross-entropy",
                 schedule="constant", warmup=0):
    """The formula images a pass shows for ``name``: the loss (for ``regression`` half the
    mean squared error, for a ``loss`` "squared" classifier the squared error on the
    softmax) with the regularization terms that are on, both gradients, the update rule of
    the active optimizer (Adam's in three lines), the learning rate's warm-up and
    schedule (none while constant)."""
    squared = not regression and loss == "squared"
    if name == "loss":
        return ("loss" + "_mse" * regression + "_sq" * squared + "_l1" * (l1 > 0) + "_l2" * (l2 > 0),)
    if name == "backward_output" and (regression or squared):
        return ("backward_output_mse" if regression else "backward_output_sq",)
    if name == "schedule":
        return ("schedule_warmup",) * (warmup > 0) + \
            ((f"schedule_{schedule}",) if schedule != "constant" else ())
    if name == "gradients":
        return ("gradients", "gradients_b")
    if name == "update":
        return (("update_adam", "update_adam_bias", "update_adam_step") if optimizer == "adam"
                else (f"update_{optimizer}",))
    return (name,)


#: batch normalization's epsilon as the texts write it: 10⁻⁵
EPS_SHOWN = "10" + str(round(math.log10(config.BN_EPS))).translate(
    str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _layers(flags):
    """The numbers of the layers whose flag is on, runs of three or more as "2–16"."""
    runs = []
    for l, on in enumerate(flags, start=1):
        if on and runs and runs[-1][1] == l - 1:
            runs[-1][1] = l
        elif on:
            runs.append([l, l])
    return ", ".join(f"{a}–{b}" if b - a >= 2 else ", ".join(map(str, range(a, b + 1)))
                     for a, b in runs)


def deep_items(content, arch, init):
    """What the forward pass says of the network's deep settings, for what is switched on:
    ``content`` "layers" (batch normalization, dropout, residual links of ``arch``, a
    reference.Arch) or "init" (the weight initialization ``init`` of config.INIT_TABLE;
    "auto": He's rule where a layer's activation asks for it, Xavier's elsewhere and at
    the output), as ("text", key, fields) and ("formulas", names) items (the images side
    by side where they fit)."""
    if content == "init":
        if init != "auto":
            return [("text", f"theory.init.{init}", {}), ("formulas", (f"init_{init}",))]
        he = any(config.choose(name, config.ACTIVATION_TABLE, "activation").init == "he"
                 for name in arch.act)
        return [("text", "theory.init.auto", {}),       # Xavier's: the output layer's, at least
                ("formulas", ("init_he",) * he + ("init_xavier",))]
    items = []
    if any(arch.bn):
        items += [("text", "theory.deep.batch_norm", {"layers": _layers(arch.bn), "eps": EPS_SHOWN}),
                  ("formulas", ("bn_mean", "bn_var", "bn_normalize", "bn_scale")),
                  ("text", "theory.deep.batch_norm_eval", {}),
                  ("formulas", ("bn_running_mean", "bn_running_var", "bn_eval"))]
    if any(arch.drop):
        rates = ", ".join(sorted({f"{p:g}" for p in arch.drop if p}, key=float))
        items += [("text", "theory.deep.dropout", {"layers": _layers(arch.drop), "rates": rates}),
                  ("formulas", ("dropout", "dropout_mask")),
                  ("text", "theory.deep.dropout_eval", {})]
    if any(arch.res):
        items += [("text", "theory.deep.residual", {"layers": _layers(arch.res)}),
                  ("formulas", ("residual",)), ("text", "theory.deep.residual_gradient", {})]
    return items


#: the catalogue keys of the inits' texts that deep_items builds from their names
DEEP_TEXTS = ("theory.init.auto", "theory.init.he", "theory.init.xavier", "theory.init.zeros",
              "theory.init.large")


#: what a classifier on the squared error (loss "squared") shows instead of these texts
SQUARED_TEXTS = {"theory.loss.title": "theory.loss.title_squared",
                 "theory.loss.cross_entropy": "theory.loss.squared_softmax"}


def for_problem(content, regression, squared=False):
    """The catalogue key of a title or text of PASSES for the problem: one key for both, or a
    (classification, regression) pair; for a classifier on the ``squared`` error, its own
    where SQUARED_TEXTS has one."""
    key = content[regression] if isinstance(content, tuple) else content
    return SQUARED_TEXTS.get(key, key) if squared else key


#: (title, [(kind, content), ...]) with kind "text" (a catalogue key), "formula" (by
#: formulas_for), "live" (numbers of the network on screen) or "deep" (by deep_items: what
#: the network's deep settings add, where they are on); a title or text may be a
#: (classification, regression) pair of keys (see ``for_problem``)
PASSES = (
    ("theory.forward.title", (
        ("text", "theory.forward.weighted_sum"),
        ("formula", "forward"),
        ("live", "forward"),
        ("deep", "layers"),
        ("text", ("theory.forward.softmax", "theory.forward.regression")),
        ("deep", "init"),
    )),
    (("theory.loss.title", "theory.loss.title_regression"), (
        ("formula", "loss"),
        ("text", ("theory.loss.cross_entropy", "theory.loss.squared_error")),
        ("live", "loss"),
    )),
    ("theory.backward.title", (
        ("text", "theory.backward.delta"),
        ("formula", "backward_output"),
        ("text", "theory.backward.carry"),
        ("formula", "backward"),
        ("text", "theory.backward.slope"),
        ("live", "gradients"),
    )),
    ("theory.update.title", (
        ("text", "theory.update.mean"),
        ("formula", "gradients"),
        ("text", "theory.update.step"),
        ("formula", "update"),
        ("formula", "schedule"),
        ("text", "theory.update.constants"),
        ("live", "training"),
        ("text", "theory.update.epoch"),
    )),
)

WATCH_OUTS = (
    ("theory.watch.vanishing.name", "theory.watch.vanishing.text"),
    ("theory.watch.eta.name", "theory.watch.eta.text"),
    ("theory.watch.overfitting.name", "theory.watch.overfitting.text"),
    ("theory.watch.init.name", "theory.watch.init.text"),
    ("theory.watch.depth.name", "theory.watch.depth.text"),
)

IN_PRACTICE = (
    ("torch.nn.Linear", "theory.torch.linear"),
    ("F.relu", "theory.torch.relu"),
    ("nn.CrossEntropyLoss", "theory.torch.cross_entropy"),
    ("torch.optim.Adam", "theory.torch.adam"),
    ("batch_norm", "theory.torch.batch_norm"),
    ("dropout", "theory.torch.dropout"),
)

FAQ = (
    ("theory.faq.mlp.question", "theory.faq.mlp.answer"),
    ("theory.faq.backprop.question", "theory.faq.backprop.answer"),
    ("theory.faq.xor.question", "theory.faq.xor.answer"),
    ("theory.faq.activation.question", "theory.faq.activation.answer"),
)
