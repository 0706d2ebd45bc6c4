"""The theory panel's text: the four passes with their formulas, watch-outs, the PyTorch
names of each piece, and the FAQ. Formulas are mathtext, rendered to images by
tools/make_assets.py (the app loads the images; it never imports matplotlib)."""

#: name -> mathtext of each formula image in assets/formulas/
FORMULAS = {
    "forward": r"$z^{(l)} = W^{(l)}\,a^{(l-1)} + b^{(l)} \qquad a^{(l)} = \phi\left(z^{(l)}\right)$",
    "loss": r"$L = -\sum_i\, t_i \log \hat{y}_i \qquad \hat{y} = \mathrm{softmax}\left(z^{(L)}\right)$",
    "backward_output": r"$\delta^{(L)} = \hat{y} - t$",
    "backward": r"$\delta^{(l)} = \left(W^{(l+1)}\right)^{\!\top} \delta^{(l+1)} \odot \phi'\left(z^{(l)}\right)$",
    "gradients": r"$\dfrac{\partial L}{\partial W^{(l)}} = \delta^{(l)} \left(a^{(l-1)}\right)^{\!\top}"
                 r"\qquad \dfrac{\partial L}{\partial b^{(l)}} = \delta^{(l)}$",
    "update": r"$W \leftarrow W - \eta\, \dfrac{\partial L}{\partial W} \qquad b \leftarrow b - \eta\, \dfrac{\partial L}{\partial b}$",
}

#: (title, [(kind, content), ...]) with kind "text" or "formula"
PASSES = (
    ("1 · Forward pass", (
        ("text", "Every layer takes a weighted sum of the layer before it, adds a bias, and "
                 "bends the result with its activation function φ:"),
        ("formula", "forward"),
        ("live", "forward"),
        ("text", "The last layer's output, after a softmax, is the prediction ŷ: one "
                 "probability per class."),
    )),
    ("2 · Loss: cross-entropy", (
        ("formula", "loss"),
        ("text", "t is the true class written one-hot, e.g. (1, 0). The loss is small when the "
                 "network gives the true class a high probability, and grows without bound as "
                 "that probability goes to zero. The loss shown is its mean over the points."),
    )),
    ("3 · Backward pass: the chain rule", (
        ("text", "Start at the output: for softmax with cross-entropy the error is simply"),
        ("formula", "backward_output"),
        ("text", "then carry it back one layer at a time (⊙ multiplies element by element):"),
        ("formula", "backward"),
        ("text", "δ says how much each neuron's weighted sum should have been different. φ' is "
                 "the slope of the activation: where it is near zero, the error signal fades."),
    )),
    ("4 · Weight update", (
        ("text", "With every δ known, the gradients follow directly:"),
        ("formula", "gradients"),
        ("text", "and each parameter takes a small step against its gradient, scaled by the "
                 "learning rate η:"),
        ("formula", "update"),
        ("live", "training"),
        ("text", "One forward pass, one backward pass and one update make a training step; a "
                 "pass over all training points, in mini-batches, makes an epoch."),
    )),
)

WATCH_OUTS = (
    ("Vanishing gradients", "sigmoid and tanh flatten out at large inputs, so δ shrinks layer "
                            "by layer and the first layers stop learning (try experiment 2)."),
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
     "and GELU are smooth-ish variants that keep a little gradient for negative inputs. For "
     "class probabilities at the output, use softmax (or a sigmoid for one yes/no output)."),
)
