"""The output layer on 8-bit or 16-bit weights, with the greedy pick of the float32 layer.

The output layer of a small model is its largest matrix: the bundled SmolLM2's is its tied 576 x 49152 embedding,
113 MB of float32 read for every token, more than all its int4 layers together. torch's int8 kernel reads a
quarter of that and FBGEMM's fp16 kernel half (see packed.py), but their logits are approximate (int8: one scale
per row, bfloat16 input and output; fp16: weights rounded to half precision), and near-ties between the top tokens
would flip. Which of the two runs is measured on each CPU (local_speed.py).

So the approximate logits only choose candidates. For each token r a proven bound b_r limits how far its
approximate logit a_r can be from the float32 one; every token with a_r + b_r at or above the largest a_s - b_s
(a lower bound of the largest float32 logit) is a candidate, and the candidates' logits are computed again in
float32 from the float32 rows and replace the approximations. A token left out has a float32 logit, and a returned
logit, below that lower bound: the largest logit returned is the float32 layer's largest, so greedy decoding picks
the token the float32 layer picks. The other logits (which only sampling reads) are the approximate layer's.

The bound, for one input row x and weight row r (W the float32 weights, W' the weights the kernel reads: int8 codes
times their scales, or the half-precision values; x' the input rounded to bfloat16 for int8, x itself for fp16;
Cauchy-Schwarz for each sum):
|x'.W'_r - x.W_r| <= |x'| |W'_r - W_r| + |x - x'| |W'_r|, with |x'| <= (1 + 2^-8)|x| and |x - x'| <= 2^-8 |x|;
plus 2^-8 |a_r| for the output's bfloat16 rounding and 1e-4 |x| |W_r| for float32 sums (far above their real
error), and the whole doubled as a margin. The fp16 kernel rounds neither its input nor its output, so for it
x' = x and the bfloat16 terms drop out. With int8 on the bundled model this leaves 1 candidate for most tokens and
a few dozen at near-ties; a looser bound would cost only more candidates, each one row of 576 numbers.
"""

from __future__ import annotations

import functools
from typing import Any

from llmcompare.providers.packed import Weights, pack

KINDS = ("int8", "fp16")  # what the approximate logits may run on
SAFETY = 2.0
ROUNDING = 2.0**-8  # bfloat16's relative rounding error, doubled
SUMS = 1e-4


@functools.cache  # built on first use, so that importing this module does not import torch
def rescored_head_class() -> type:
    import torch
    from torch import nn

    class RescoredHead(nn.Module):
        """An output layer on int8 or fp16 weights whose greedy pick is the float32 layer's (see the module's
        docstring)."""

        def __init__(self, weight: torch.Tensor, kind: str = "int8") -> None:
            super().__init__()
            packed = pack(weight, kind) if kind in KINDS else None
            if packed is None:
                raise ValueError(f"the output layer does not pack to {kind} here")
            self.kind = kind
            self.approximate = Weights(kind, tuple(t for t in packed[:2] if t is not None))
            self.weight = weight  # the float32 rows: the same parameter as a tied embedding's, no copy
            self.out_features = weight.shape[0]
            weight = weight.detach().float()
            if kind == "int8":
                codes, scales = packed[:2]
                dequantised = codes.float() * scales.float()[:, None]
            else:
                dequantised = weight.half().float()  # what FBGEMM's kernel reads, without unpacking (a test checks)
            # The int8 kernel rounds its input and output to bfloat16; the fp16 one rounds neither.
            self.rounding = ROUNDING if kind == "int8" else 0.0
            per_row = (1 + self.rounding) * (dequantised - weight).norm(dim=1)
            per_row += self.rounding * dequantised.norm(dim=1) + SUMS * weight.norm(dim=1)
            self.register_buffer("per_row", SAFETY * per_row)  # times |x|: the input's part of each bound
            self.largest_row = float(self.per_row.max())

        def bounds(self, x: torch.Tensor, approx: torch.Tensor) -> torch.Tensor:
            """For one input row x, how far each approximate logit can be from its float32 value."""
            return self._bounds(approx, self.per_row, float(x.norm()))

        def _bounds(self, approx: torch.Tensor, per_row: torch.Tensor, norm: float) -> torch.Tensor:
            """The bounds of the approximate logits given, with their rows' terms and the input's norm."""
            return approx.abs().mul_(SAFETY * self.rounding).add_(per_row, alpha=norm)

        def candidates(self, x: torch.Tensor, approx: torch.Tensor) -> torch.Tensor:
            """Indices of the tokens that may have the largest float32 logit, for one input row.

            The tokens with a_r + b_r >= max_s (a_s - b_s), found without a bound for every token: each bound is at
            most B (the largest |a| and the largest row term), and the floor is at least a_top - b_top for the top
            approximate logit, so every candidate, and every s that can set the floor, has a_r >= a_top - b_top - B.
            Only those few get their bounds. Three passes over the vocabulary instead of eight, and no temporary as
            large as the vocabulary (each one a fresh allocation, about 0.2 ms apiece on the machines measured).
            """
            top_value, top = approx.max(0)
            low, high = torch.aminmax(approx)
            norm = float(x.norm())
            largest = SAFETY * self.rounding * max(-float(low), float(high)) + self.largest_row * norm
            top_bound = SAFETY * self.rounding * abs(float(top_value)) + float(self.per_row[top]) * norm
            near = (approx >= float(top_value) - top_bound - largest).nonzero()[:, 0]
            values = approx[near]
            bounds = self._bounds(values, self.per_row[near], norm)
            floor = (values - bounds).max()
            return near[values + bounds >= floor]

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            rows = x.reshape(-1, x.shape[-1]).float()
            logits = self.approximate(rows)
            for row in range(rows.shape[0]):
                chosen = self.candidates(rows[row], logits[row])
                logits[row, chosen] = torch.mv(self.weight[chosen], rows[row])
            return logits.view(*x.shape[:-1], self.out_features).to(x.dtype)

    return RescoredHead


def is_rescored(module: Any) -> bool:
    return isinstance(module, rescored_head_class())


def rescored_head_for(model: Any, kind: str = "int8") -> Any:
    """A RescoredHead on int8 or fp16 weights for the model's bias-free float32 output layer, not yet swapped in;
    None when it has none or the kind's kernel does not run here."""
    from torch import nn

    head = model.get_output_embeddings()
    if not isinstance(head, nn.Linear) or head.bias is not None:
        return None
    try:
        rescored = rescored_head_class()(head.weight, kind)
        rescored.approximate(head.weight.new_ones(1, head.in_features))
    except (RuntimeError, AttributeError, ValueError):  # no such kernel in this torch, or it does not pack
        return None
    return rescored


def rescore_head(model: Any, kind: str = "int8") -> bool:
    """Swap the model's output layer for `rescored_head_for`'s; False when there is none to swap."""
    rescored = rescored_head_for(model, kind)
    if rescored is not None:
        model.set_output_embeddings(rescored)
    return rescored is not None
