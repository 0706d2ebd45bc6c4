"""The "What am I looking at?" card: one plain paragraph per part of the screen."""

TITLE = "What am I looking at?"

SECTIONS = (
    ("The points",
     "Each dot is one example the network learns from; its colour is its true class. Dots "
     "with a black ring are test points: the network never trains on them, so they show how "
     "well it does on data it has not seen (V shows or hides them). A red ring marks a "
     "training point the network still gets wrong. Click to add points of your own."),
    ("The boundary",
     "The background colours every spot of the plane by the class the network would give a "
     "point there; the stronger the colour, the surer it is, and pale means undecided. The "
     "line where the colours meet is the decision boundary: watch it bend as training goes on."),
    ("The network diagram",
     "Inputs on the left, the output on the right, hidden layers between. Each square is a "
     "neuron, painted with what it outputs over the whole plane; each line is a weight, blue "
     "for positive and orange for negative, thicker when larger. The bars under it show how "
     "strongly each layer is being corrected: a tiny red bar means it has stopped learning."),
    ("The loss chart",
     "The loss measures how wrong the network is, averaged over the points; training "
     "drives it down. The dark curve is the training loss and the orange one the test loss: "
     "when the test loss rises while the training loss keeps falling, the network is "
     "memorising instead of learning."),
)
