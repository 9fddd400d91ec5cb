"""Training: recipes (``models/recipes/*.toml``), the pairs they name, the trainer and its export.

Nothing here runs when contradict scores or compares documents; ``contradict train`` is the way in.
:mod:`contradict.training.augment` makes the rule-made news pairs a recipe's ``[augment]`` and
``[compose]`` tables ask for.
"""

from .trainer import Recipe, build_training_set, check_export, export, train

__all__ = ["Recipe", "build_training_set", "check_export", "export", "train"]
