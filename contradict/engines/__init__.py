"""Engines that run :func:`contradict.pipeline.compare`'s stages: ``local`` (this process,
:class:`contradict.pipeline.LocalEngine`) and ``ray`` (a Ray cluster, :mod:`contradict.engines.ray_engine`)."""

ENGINES = ("local", "ray")
