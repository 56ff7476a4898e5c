"""Linear layers on 4-bit, 8-bit or 16-bit weights, run by torch's CPU kernels, and the one place they are called.

- int4: every 32 inputs of a row share a scale and an offset with 16 levels between, as in a Q4_1 GGUF. The bundled
  SmolLM2's float32 conversion keeps its weights on exactly that grid, so the 4-bit codes come back unchanged; the
  kernel holds each group's scale and offset in bfloat16, which moves most weights by up to about 0.15% of the
  layer's largest weight.
- int8: one scale per row, symmetric (torch's `_weight_int8pack_mm`); lossy for any model, chosen only when asked.
- fp16: each weight rounded to half precision (a relative change of at most 2^-11, about 0.05%), held in FBGEMM's
  packed layout and run by `quantized::linear_dynamic_fp16`, which widens the weights to float32 as it reads them:
  the input and output stay float32 and the sums are float32. It reads four times the bytes of int4 but does no
  unpacking arithmetic, so it wins where the int4 kernel is slow (torch's AVX2 code) and loses where it is fast.
The int4 and int8 kernels take bfloat16 inputs (their float32 variants are several times slower on the CPUs
measured) and give bfloat16 outputs, which the callers turn back to float32.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

GROUP = 32
KINDS = ("float32", "int4", "int8", "fp16")
# The smallest magnitude that half precision rounds to infinity (its largest finite value is 65504).
HALF_OVERFLOW = 65520.0
# Kinds whose kernel takes and gives float32, as F.linear does.
FLOAT_IO = ("float32", "fp16")


def int4_mm(x: Any, packed: Any, scales_and_zeros: Any) -> Any:
    """x [rows, in] times packed 4-bit weights, through torch's CPU int4 kernel: x rounded to bfloat16, out bfloat16."""
    import torch

    return torch.ops.aten._weight_int4pack_mm_for_cpu(x.to(torch.bfloat16), packed, GROUP, scales_and_zeros)


def int8_mm(x: Any, codes: Any, scales: Any) -> Any:
    """x [rows, in] times int8 weights [out, in], a bfloat16 scale per row: x rounded to bfloat16, out bfloat16."""
    import torch

    return torch._weight_int8pack_mm(x.to(torch.bfloat16), codes, scales)


def fp16_mm(x: Any, packed: Any) -> Any:
    """x [rows, in] float32 times half-precision weights in FBGEMM's layout: float32 in, sums and out."""
    import torch

    return torch.ops.quantized.linear_dynamic_fp16(x, packed)


def matmul(kind: str, x: Any, *tensors: Any) -> Any:
    """x [rows, in] times the weights of one kind (float32: the [out, in] matrix), out float32."""
    out = raw_matmul(kind, x, *tensors)
    return out if kind in FLOAT_IO else out.float()


def raw_matmul(kind: str, x: Any, *tensors: Any) -> Any:
    """As `matmul`, but out in the kernel's own type: bfloat16 from the int4 and int8 kernels."""
    import torch.nn.functional as F

    if kind == "float32":
        return F.linear(x, tensors[0])
    return {"int4": int4_mm, "int8": int8_mm, "fp16": fp16_mm}[kind](x, *tensors)


def int4_grid(weight: Any) -> tuple[Any, Any, Any, float] | None:
    """(4-bit codes [out, in] as floats, scale and lowest weight per group, largest change of a weight relative to the
    layer's largest) for [out, in]; None when the shape does not pack. In-place steps keep this fast."""
    import torch

    rows, cols = weight.shape
    if cols % GROUP or rows % 8:
        return None
    groups = weight.detach().float().reshape(rows, cols // GROUP, GROUP)
    low, high = groups.amin(-1), groups.amax(-1)
    scale = ((high - low) / 15).clamp_min(torch.finfo(torch.float32).tiny)
    levels = (groups - low[..., None]).div_(scale[..., None])
    codes = levels.round()
    # How far each weight is from its level, in weight units: zero for a Q4_1 grid, a few % of a step otherwise.
    change = float((levels.sub_(codes).abs_().amax(-1) * scale).max())
    largest = float(torch.maximum(low.abs(), high.abs()).max()) or 1.0
    return codes.reshape(rows, cols), scale, low, change / largest


def pack_int4(weight: Any) -> tuple[Any, Any, float] | None:
    """(packed codes, scales and zeros, largest change of a code's value relative to the largest weight) for [out, in].

    None when the shape does not pack or the kernel does not run here. Under two seconds for the bundled model.
    """
    import torch

    grid = int4_grid(weight)
    if grid is None:
        return None
    codes, scale, low, change = grid
    try:
        packed = torch.ops.aten._convert_weight_to_int4pack_for_cpu(codes.clamp_(0, 15).to(torch.int32), 1)
    except (RuntimeError, AttributeError):
        return None
    # The kernel computes (code - 8) * scale + zero, so zero is the offset of the middle level.
    zeros = low + 8 * scale
    scales_and_zeros = torch.stack([scale.t(), zeros.t()], dim=-1).contiguous().to(torch.bfloat16)
    return packed, scales_and_zeros, change


def pack_fp16(weight: Any) -> tuple[Any, None, float] | None:
    """(FBGEMM's packed half-precision weights, None, largest change of a weight relative to the largest weight).

    None when a weight lies beyond half precision's range or this torch has no FBGEMM (not x86-64).
    """
    import torch

    weight = weight.detach().float()
    largest = float(weight.abs().max())
    if not largest < HALF_OVERFLOW:  # or NaN
        return None
    try:
        packed = torch.ops.quantized.linear_prepack_fp16(weight, None)
    except (RuntimeError, AttributeError):
        return None
    # FBGEMM rounds each weight as .half() does (a test checks), so the change needs no unpacking.
    change = float(weight.half().float().sub_(weight).abs_().max())
    return packed, None, change / (largest or 1.0)


def pack_int8(weight: Any) -> tuple[Any, Any, float]:
    """(int8 codes [out, in], bfloat16 scale per row, largest change of a weight relative to the largest weight)."""
    import torch

    weight = weight.detach().float()
    scale = (weight.abs().amax(1) / 127).clamp_min(torch.finfo(torch.float32).tiny).to(torch.bfloat16)
    codes = (weight / scale.float()[:, None]).round_().clamp_(-128, 127)
    change = float((codes * scale.float()[:, None] - weight).abs().max())
    return codes.to(torch.int8), scale, change / (float(weight.abs().max()) or 1.0)


@functools.cache  # one class, built on first use, so that importing this module does not import torch
def packed_linear_class() -> type:
    import torch
    from torch import nn

    class PackedLinear(nn.Module):
        """A Linear on int4, int8 or fp16 weights (see the module's docstring); returns x's dtype."""

        def __init__(
            self, kind: str, packed: Any, scales: torch.Tensor | None, out: int, bias: Any, inputs: int
        ) -> None:
            super().__init__()
            self.kind, self.out_features, self.in_features = kind, out, inputs
            if isinstance(packed, torch.Tensor):
                self.register_buffer("packed", packed)
            else:  # FBGEMM's packed weights are an object of their own, not a tensor
                self.packed = packed
            self.register_buffer("scales", scales)
            self.bias = None if bias is None else nn.Parameter(bias.detach().clone(), requires_grad=False)
            self.rows: slice | None = None  # this layer's outputs among a joined matrix's (see `join`)

        def forward(self, x: torch.Tensor) -> torch.Tensor:
            out = Weights(self.kind, self.tensors(), self.rows)(x.reshape(-1, x.shape[-1]))
            out = out.reshape(*x.shape[:-1], self.out_features).to(x.dtype)
            return out if self.bias is None else out + self.bias

        def tensors(self) -> tuple[Any, ...]:
            """What `matmul` takes for this kind: the packed weights, and the scales where the kind has them."""
            return tuple(t for t in (self.packed, self.scales) if t is not None)

    return PackedLinear


def pack(weight: Any, kind: str) -> tuple[Any, Any, float] | None:
    """(packed, scales, relative change) of a weight in the kind, None when it does not pack."""
    if kind == "int4":
        return pack_int4(weight)
    if kind == "fp16":
        return pack_fp16(weight)
    try:
        return pack_int8(weight)
    except (RuntimeError, AttributeError):
        return None


def pack_model(
    model: Any,
    kind: str,
    exact_only: bool = False,
    tolerance: float = 1e-6,
    groups: list[tuple[Any, tuple[str, ...]]] | None = None,
) -> list[tuple[Any, str, Any]]:
    """(parent, attribute, packed module) for each linear layer but the output layer; nothing is swapped yet.

    With exact_only: an empty list unless every layer packs with its codes unchanged (change under tolerance).
    groups: (parent, names) of bias-free layers that read the same input, which fp16 packs as one matrix that the
    layers share, each keeping its own outputs (see `join`: FBGEMM's weights cannot be sliced). Packing the group
    at once, instead of packing its parts and joining them afterwards, skips a second copy and the time to make it.
    """
    swaps = []
    grouped: set[int] = set()
    for parent, names in (groups or []) if kind == "fp16" else []:
        shared = _pack_fp16_group([getattr(parent, name) for name in names])
        if shared is not None:
            swaps += [(parent, name, module) for name, module in zip(names, shared, strict=True)]
            grouped.update(id(getattr(parent, name)) for name in names)
    for parent, name, child in _linear_layers(model):
        if id(child) in grouped:
            continue
        result = pack(child.weight, kind)
        if result is None or (exact_only and result[2] > tolerance):
            if exact_only:
                return []
            continue
        module = packed_linear_class()(kind, *result[:2], child.out_features, child.bias, child.in_features)
        swaps.append((parent, name, module))
    return swaps


def _pack_fp16_group(children: list[Any]) -> list[Any] | None:
    """PackedLinear modules on one fp16 matrix of the children's weights, or None when a child has a bias or the
    matrix does not pack."""
    import torch

    if any(child.bias is not None for child in children):
        return None
    result = pack_fp16(torch.cat([child.weight.detach() for child in children], 0))
    if result is None:
        return None
    modules, start = [], 0
    for child in children:
        module = packed_linear_class()("fp16", result[0], None, child.out_features, None, child.in_features)
        module.rows = slice(start, start + child.out_features)
        modules.append(module)
        start += child.out_features
    return modules


def on_int4_grid(model: Any, tolerance: float = 1e-6) -> bool:
    """Whether every linear layer but the output layer sits on a 4-bit grid, as a Q4_1 GGUF's model does."""
    for _, _, child in _linear_layers(model):
        grid = int4_grid(child.weight)
        if grid is None or grid[3] > tolerance:
            return False
    return True


def _linear_layers(model: Any) -> Iterator[tuple[Any, str, Any]]:
    """(parent, attribute, layer) for each float32 linear layer of the model but its output layer."""
    from torch import nn

    skip = model.get_output_embeddings()
    for parent in model.modules():
        for name, child in parent.named_children():
            if isinstance(child, nn.Linear) and child is not skip:
                yield parent, name, child


@dataclass
class Weights:
    """One projection's weights as the lean decoder reads them: a kind and its tensors (see `matmul`)."""

    kind: str
    tensors: tuple[Any, ...]
    rows: slice | None = None  # the outputs that are this projection's, when the tensors are a joined matrix's

    def __call__(self, x: Any) -> Any:
        out = matmul(self.kind, x, *self.tensors)
        return out if self.rows is None else out[:, self.rows]

    def raw(self, x: Any) -> Any:
        out = raw_matmul(self.kind, x, *self.tensors)
        return out if self.rows is None else out[:, self.rows]

    @classmethod
    def of(cls, module: Any) -> Weights | None:
        """The weights of a bias-free Linear or PackedLinear; None for anything else."""
        from torch import nn

        if getattr(module, "bias", 0) is not None:
            return None
        if isinstance(module, nn.Linear):
            return cls("float32", (module.weight,))
        if isinstance(module, packed_linear_class()):
            return cls(module.kind, module.tensors(), module.rows)
        return None


def join(modules: list[Any]) -> Weights | None:
    """One matrix for several projections that read the same input, or None when joining changes any output.

    Joined matrices do fewer, larger calls. Whether each output column comes out exactly as from its own matrix
    depends on the kernel's blocking (the int4 layout keeps whole 64-row blocks together), so a probe checks it
    with one row and with several. The parts then point at slices of the joined tensors: one copy in memory. FBGEMM's
    fp16 weights cannot be sliced, so fp16 parts join only when `pack_model` packed them as one matrix to begin
    with, each keeping its own outputs: one copy too (for the bundled model, 140 MB less than parts and a joined
    copy), at the price of the parts' own calls, which only `generate` makes, computing their neighbours' outputs
    as well.
    """
    import torch

    parts = [Weights.of(m) for m in modules]
    if any(p is None for p in parts) or len({p.kind for p in parts}) != 1:
        return None
    kind = parts[0].kind
    if kind == "fp16":  # joined only when packed as one group (pack_model): FBGEMM's weights cannot be sliced
        if any(p.tensors[0] is not parts[0].tensors[0] for p in parts):
            return None
        joined = Weights(kind, (parts[0].tensors[0],))
    else:
        joined = Weights(kind, (torch.cat([p.tensors[0] for p in parts], 0),))
    if kind in ("int4", "int8"):
        axis = 1 if kind == "int4" else 0  # int4 scales are [groups, out, 2]
        joined.tensors += (torch.cat([p.tensors[1] for p in parts], axis).contiguous(),)
    inputs = modules[0].in_features
    generator = torch.Generator().manual_seed(0)
    for rows in (1, 5):
        probe = torch.randn(rows, inputs, generator=generator)
        if not torch.equal(joined(probe), torch.cat([p(probe) for p in parts], 1)):
            return None
    start = 0
    for module in modules:
        rows = module.out_features
        if kind == "fp16":
            module.packed, module.rows = joined.tensors[0], slice(start, start + rows)
        elif kind == "float32":
            module.weight.data = joined.tensors[0][start : start + rows]
        else:
            module.packed = joined.tensors[0][start : start + rows]
        start += rows
    return joined
