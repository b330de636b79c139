"""Chip placement: ``placer.LabelPlacer`` (one per scene) chooses the strategy;
``onwire`` puts chips on their own wires, ``search`` finds spots beside them,
``local`` places again what a step changed; ``constants`` holds their numbers."""
