"""gradstudio: computation graphs for teaching derivatives and backpropagation."""

__version__ = "0.1.0"
