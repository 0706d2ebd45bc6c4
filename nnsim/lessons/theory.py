"""The theory panel's text: the four passes with their formulas, watch-outs, the PyTorch
names of each piece, and the FAQ. Formulas are mathtext, rendered to images by
tools/make_assets.py (the app loads the images; it never imports matplotlib)."""

#: name -> mathtext of each formula image in assets/formulas/. ℒ is the loss, L the index of
#: the last layer; n counts the B examples of a mini-batch, k the classes; g is ∂ℒ/∂W (or
#: ∂ℒ/∂b) and the update rules use the code's names (eta, MOMENTUM mu = 0.9, ADAM_BETA1/2,
#: ADAM_EPS epsilon, adam_t: the step count).
_CE = r"-\dfrac{1}{B}\sum_{n=1}^{B}\,\sum_{k}\, t_{nk}\,\log\,\hat{y}_{nk}"
#: regression's loss: half the mean squared error, so that delta^(L) = y_hat - t
_MSE = r"\dfrac{1}{B}\sum_{n=1}^{B}\,\dfrac{1}{2}\left(\hat{y}_n - t_n\right)^2"
_L1 = r"\;+\;\lambda_1 \sum |w|"
_L2 = r"\;+\;\frac{\lambda_2}{2} \sum w^2"
FORMULAS = {
    "forward": r"$z^{(l)} = W^{(l)}\,a^{(l-1)} + b^{(l)} \qquad a^{(l)} = \phi\left(z^{(l)}\right)$",
    "loss": rf"$\mathcal{{L}} = {_CE}$",
    "loss_l1": rf"$\mathcal{{L}} = {_CE}{_L1}$",
    "loss_l2": rf"$\mathcal{{L}} = {_CE}{_L2}$",
    "loss_l1_l2": rf"$\mathcal{{L}} = {_CE}{_L1}{_L2}$",
    "loss_mse": rf"$\mathcal{{L}} = {_MSE}$",
    "loss_mse_l1": rf"$\mathcal{{L}} = {_MSE}{_L1}$",
    "loss_mse_l2": rf"$\mathcal{{L}} = {_MSE}{_L2}$",
    "loss_mse_l1_l2": rf"$\mathcal{{L}} = {_MSE}{_L1}{_L2}$",
    "backward_output": r"$\delta^{(L)} = \dfrac{\partial \mathcal{L}_n}{\partial z^{(L)}} = \hat{y} - t$",
    "backward_output_mse": r"$\delta^{(L)} = \dfrac{\partial \mathcal{L}_n}{\partial z^{(L)}} = "
                           r"\hat{y} - t \qquad \hat{y} = z^{(L)}$",
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
}


def formulas_for(name, optimizer, l1, l2, regression=False):
    """The formula images a pass shows for ``name``: the loss (for ``regression`` half the
    mean squared error) with the regularization terms that are on, both gradients, the update
    rule of the active optimizer (Adam's in three lines)."""
    if name == "loss":
        return ("loss" + "_mse" * regression + "_l1" * (l1 > 0) + "_l2" * (l2 > 0),)
    if name == "backward_output" and regression:
        return ("backward_output_mse",)
    if name == "gradients":
        return ("gradients", "gradients_b")
    if name == "update":
        return (("update_adam", "update_adam_bias", "update_adam_step") if optimizer == "adam"
                else (f"update_{optimizer}",))
    return (name,)


def for_problem(content, regression):
    """A title or text of PASSES as shown for the problem: one string for both, or a
    (classification, regression) pair."""
    return content[regression] if isinstance(content, tuple) else content


#: (title, [(kind, content), ...]) with kind "text", "formula" (by formulas_for) or "live"
#: (numbers of the network on screen); a title or text may be a (classification,
#: regression) pair (see ``for_problem``)
PASSES = (
    ("1 · Forward pass", (
        ("text", "Every layer takes a weighted sum of the layer before it, adds a bias, and "
                 "bends the result with its activation function φ:"),
        ("formula", "forward"),
        ("live", "forward"),
        ("text", ("The last layer L has no φ: a softmax turns its z into the prediction ŷ, "
                  "one probability per class.",
                  "The last layer L is one unit with no φ: its z is the prediction ŷ, a "
                  "number (the map's colour, orange −1 to blue +1).")),
    )),
    (("2 · Loss: cross-entropy", "2 · Loss: mean squared error"), (
        ("formula", "loss"),
        ("text", ("t is the true class written one-hot, e.g. (1, 0). The loss ℒ is small when "
                  "the network gives the true class a high probability, and grows without "
                  "bound as that probability goes to zero. It is the mean over the B examples "
                  "of a mini-batch (the readout shows it over all training points), plus the "
                  "L1 or L2 penalty on the weights when regularization is on.",
                  "t is the point's target value. The loss ℒ is half the squared miss, "
                  "averaged over the B examples of a mini-batch (the readout shows it over "
                  "all training points, and MAE the mean |ŷ − t|), plus the L1 or L2 penalty "
                  "on the weights when regularization is on. The ½ makes δ simple.")),
        ("live", "loss"),
    )),
    ("3 · Backward pass: the chain rule", (
        ("text", "δ = ∂ℒₙ/∂z is how sensitive one example's loss is to each neuron's weighted "
                 "sum: a step against δ lowers the loss, so the correction has the opposite "
                 "sign. At the output, for softmax with cross-entropy and for a linear unit "
                 "with half the squared error alike, it is simply"),
        ("formula", "backward_output"),
        ("text", "then carry it back one layer at a time (⊙ multiplies element by element):"),
        ("formula", "backward"),
        ("text", "φ' is the slope of the activation: where it is near zero, the signal fades "
                 "on its way back. These are per-example formulas; the batch's gradient "
                 "averages them (next pass)."),
        ("live", "gradients"),
    )),
    ("4 · Weight update", (
        ("text", "The loss is the mean over the mini-batch, so its gradient is the batch mean "
                 "of the per-example gradients:"),
        ("formula", "gradients"),
        ("text", "(with regularization on, λ₁ sign(W) or λ₂ W is added to ∂ℒ/∂W). Then every "
                 "parameter takes a step against its gradient g, scaled by the learning rate "
                 "η; the rule of the optimizer chosen now:"),
        ("formula", "update"),
        ("text", "with μ = 0.9 (momentum), β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸ (Adam). adam_t "
                 "counts Adam's steps; dividing m and v by 1 − β₁^adam_t and 1 − β₂^adam_t "
                 "makes up for their starting at zero."),
        ("live", "training"),
        ("text", "One forward pass, one backward pass and one update make a training step; a "
                 "pass over all training points, in mini-batches, makes an epoch."),
    )),
)

WATCH_OUTS = (
    ("Vanishing gradients", "sigmoid's slope is at most ¼, so each layer back multiplies δ by at "
                            "most ¼·|W|: after a few layers almost nothing reaches the first "
                            "ones, and they stop learning (tanh saturates too; try experiment 2)."),
    ("η too high", "steps overshoot the minimum: the loss jumps around or blows up (experiment 3)."),
    ("Overfitting small data", "a big network can memorise a handful of points and draw a "
                               "boundary that means nothing (experiment 4)."),
    ("Bad random init", "weights too large saturate the activations, too small fade the signal; "
                        "nnsim scales them to each layer's size (He or Xavier)."),
    ("Too many hidden layers", "depth adds power but makes training slower and touchier; add "
                               "layers only when a shallower net cannot fit."),
)

IN_PRACTICE = (
    ("torch.nn.Linear", "one layer's z = W a + b, with W and b as trainable parameters."),
    ("F.relu", "the activation φ, applied elementwise (also torch.tanh, torch.sigmoid, F.gelu)."),
    ("nn.CrossEntropyLoss", "softmax and cross-entropy in one numerically safe step."),
    ("torch.optim.Adam", "the update rule; torch.optim.SGD with momentum is the classic one."),
    ("batch_norm", "rescales each layer's inputs per mini-batch, so deep nets train faster."),
    ("dropout", "switches random neurons off while training, a guard against overfitting."),
)

FAQ = (
    ("What is a multi-layer perceptron?",
     "Layers of neurons: the inputs, one or more hidden layers, and an output layer. Each "
     "neuron takes a weighted sum of the layer before, adds a bias and applies an activation. "
     "Training tunes every weight and bias by gradient descent on a loss, here cross-entropy. "
     "Unlike a single linear classifier, the network can learn curved boundaries."),
    ("What does backpropagation do?",
     "It finds the gradient of the loss with respect to every weight and bias, layer by layer "
     "from the output back, by applying the chain rule once per layer. Gradient descent then "
     "moves each parameter a little in the direction that lowers the loss."),
    ("Why does XOR fail without a hidden layer?",
     "With no hidden layer the network is logistic regression: its boundary is a straight "
     "line, and no line separates XOR's diagonal quadrants. One hidden layer of four neurons "
     "is enough to bend the boundary (experiment 1)."),
    ("Which activation should I use?",
     "ReLU is the usual default for hidden layers: cheap, and it does not saturate for "
     "positive inputs. Sigmoid and tanh saturate and make deep nets learn slowly. Leaky ReLU "
     "keeps a small slope (0.01) for negative inputs, so its neurons never go fully silent; "
     "GELU is a smooth curve close to ReLU that lets small negative values through. For "
     "class probabilities at the output, use softmax (or a sigmoid for one yes/no output)."),
)
