"""Germline sets: load and validate Vidjil presets (`.g` + FASTA) into `core` values."""

from vidjil_local.germline.loader import LoadedGermline, load_germline, split_spec

__all__ = ["LoadedGermline", "load_germline", "split_spec"]
