"""nnsim: a native Neural Network Playground for teaching backpropagation."""
__version__ = "0.1.0"
