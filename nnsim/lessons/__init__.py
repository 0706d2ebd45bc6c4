"""What nnsim teaches, as data: the theory text, the "Try this" experiments, the FAQ."""
