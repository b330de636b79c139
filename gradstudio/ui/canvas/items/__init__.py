"""Graphics items of the canvas: nodes, ports, wires and annotation chips."""
