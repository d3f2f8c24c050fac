"""Structured config classes for omegaconf_oracle.py (importable when a pickle names them)."""
import dataclasses
from typing import Dict, List, Optional


@dataclasses.dataclass
class Optim:
    lr: float = 0.001
    steps: int = 10
    name: str = "adam"
    nesterov: bool = False
    warmup: Optional[int] = None


@dataclasses.dataclass
class Train:
    optim: Optim = dataclasses.field(default_factory=Optim)
    counts: Dict[str, int] = dataclasses.field(default_factory=lambda: {"train": 100})
    scales: List[float] = dataclasses.field(default_factory=lambda: [1.0, 0.5])
    backup: Optional[Optim] = None
