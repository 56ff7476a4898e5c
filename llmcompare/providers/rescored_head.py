"""The output layer on 8-bit weights, with the greedy pick of the float32 layer.

The output layer of a small model is its largest matrix: the bundled SmolLM2's is its tied 576 x 49152 embedding,
113 MB of float32 read for every token, more than all its int4 layers together. torch's int8 kernel reads a
quarter of that, but its logits are approximate (one scale per row, bfloat16 input and output), and near-ties
between the top tokens would flip.

So the approximate logits only choose candidates. For each token r a proven bound b_r limits how far its
approximate logit a_r can be from the float32 one; every token with a_r + b_r at or above the largest a_s - b_s
(a lower bound of the largest float32 logit) is a candidate, and the candidates' logits are computed again in
float32 from the float32 rows and replace the approximations. A token left out has a float32 logit, and a returned
logit, below that lower bound: the largest logit returned is the float32 layer's largest, so greedy decoding picks
the token the float32 layer picks. The other logits (which only sampling reads) are the int8 layer's.

The bound, for one input row x and weight row r (W the float32 weights, W' the int8 codes times their scales, x'
the input rounded to bfloat16; Cauchy-Schwarz for each sum):
|x'.W'_r - x.W_r| <= |x'| |W'_r - W_r| + |x - x'| |W'_r|, with |x'| <= (1 + 2^-8)|x| and |x - x'| <= 2^-8 |x|;
plus 2^-8 |a_r| for the output's bfloat16 rounding and 1e-4 |x| |W_r| for float32 sums (far above their real
error), and the whole doubled as a margin. On the bundled model this leaves 1 candidate for most tokens and a few
dozen at near-ties; a looser bound would cost only more candidates, each one row of 576 numbers.
"""

from __future__ import annotations

import functools
from typing import Any

from llmcompare.providers.packed import int8_mm, pack_int8

SAFETY = 2.0
ROUNDING = 2.0**-8  # bfloat16's relative rounding error, doubled
SUMS = 1e-4


@functools.cache  # built on first use, so that importing this module does not import torch
def rescored_head_class() -> type:
    import torch
    from torch import nn

    class RescoredHead(nn.Module):
        """An output layer on int8 weights whose greedy pick is the float32 layer's (see the module's docstring)."""

        def __init__(self, weight: torch.Tensor) -> None:
            super().__init__()
            codes, scales, _ = pack_int8(weight)
            self.weight = weight  # the float32 rows: the same parameter as a tied embedding's, no copy
            self.out_features = weight.shape[0]
            self.register_buffer("codes", codes)
            self.register_buffer("scales", scales)
            weight = weight.detach().float()
            dequantised = codes.float() * scales.float()[:, None]
            per_row = (1 + ROUNDING) * (dequantised - weight).norm(dim=1)
            per_row += ROUNDING * dequantised.norm(dim=1) + SUMS * weight.norm(dim=1)
            self.register_buffer("per_row", SAFETY * per_row)  # times |x|: the input's part of each bound

        def bounds(self, x: torch.Tensor, approx: torch.Tensor) -> torch.Tensor:
            """For one input row x, how far each approximate logit can be from its float32 value."""
            return approx.abs().mul_(SAFETY * ROUNDING).add_(self.per_row, alpha=float(x.norm()))

        def candidates(self, x: torch.Tensor, approx: torch.Tensor) -> torch.Tensor:
            """Indices of the tokens that may have the largest float32 logit, for one input row."""
            bounds = self.bounds(x, approx)
            floor = (approx - bounds).max()
            return (approx + bounds >= floor).nonzero()[:, 0]

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            rows = x.reshape(-1, x.shape[-1]).float()
            logits = int8_mm(rows, self.codes, self.scales).float()
            for row in range(rows.shape[0]):
                chosen = self.candidates(rows[row], logits[row])
                logits[row, chosen] = torch.mv(self.weight[chosen], rows[row])
            return logits.view(*x.shape[:-1], self.out_features).to(x.dtype)

    return RescoredHead


def is_rescored(module: Any) -> bool:
    return isinstance(module, rescored_head_class())


def rescore_head(model: Any) -> bool:
    """Swap the model's bias-free float32 output layer for a RescoredHead; False when it has none or int8 does not
    run here."""
    from torch import nn

    head = model.get_output_embeddings()
    if not isinstance(head, nn.Linear) or head.bias is not None:
        return False
    try:
        rescored = rescored_head_class()(head.weight)
        int8_mm(head.weight.new_ones(1, head.in_features), rescored.codes, rescored.scales)
    except (RuntimeError, AttributeError):  # no int8 kernel in this torch
        return False
    model.set_output_embeddings(rescored)
    return True
