"""Rewrite the MiniLM ONNX graph so onnxruntime computes on its int8 weights instead of inflating them to float.

Why: the shipped model stores every weight as int8 with a float scale, turned back into float by a
`Cast` and a `Mul` in the graph. onnxruntime's constant folding does that once at load, so the process
holds about 90 MB of float weights (plus packed copies: ~180 MB in all, data/README.md round 14);
without folding it redoes it on every turn (~60 ms). Rewritten here, in memory, at load:

- each weight `MatMul(x, Mul(Cast(Wq), scale))` becomes one `com.microsoft.DynamicQuantizeMatMul(x, Wq,
  scale)`: x is quantized per turn, the product is int8 x uint8 (scales are per output column);
- each embedding table `Gather(Mul(Cast(Eq), scale), ids)` gathers the int8 rows (and their scales) first,
  then turns only those rows into float.

The vectors differ from the float computation by the activations' rounding (cosine > 0.99 on the phrase
sets; tests/therapy/test_crisis_embedding.py); the classifier head is trained on these vectors.

A minimal protobuf reader/writer for the few ONNX fields touched (no `onnx` package needed); anything it
does not recognise raises ValueError and the caller falls back to the unmodified model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["quantized_compute"]

# ONNX field numbers (onnx.proto3).
_MODEL_GRAPH, _MODEL_OPSET = 7, 8
_GRAPH_NODE, _GRAPH_INITIALIZER = 1, 5
_NODE_INPUT, _NODE_OUTPUT, _NODE_OP, _NODE_DOMAIN = 1, 2, 4, 7
_TENSOR_DIMS, _TENSOR_NAME = 1, 8
_OPSET_DOMAIN, _OPSET_VERSION = 1, 2


def _varint(data: bytes, i: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        byte = data[i]
        i += 1
        result |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return result, i


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _fields(data: bytes | memoryview) -> list[tuple[int, int, bytes | int]]:
    """(field number, wire type, value) in order; length-delimited values as memoryviews (no copies: the
    weights are 23 MB, and copies freed in small pieces stay in the process's RSS), varints as int."""
    data = memoryview(data)
    out: list[tuple[int, int, bytes | int]] = []
    i = 0
    while i < len(data):
        key, i = _varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(data, i)
            out.append((number, wire, value))
        elif wire == 2:
            length, i = _varint(data, i)
            out.append((number, wire, data[i:i + length]))
            i += length
        elif wire in (1, 5):
            size = 8 if wire == 1 else 4
            out.append((number, wire, data[i:i + size]))
            i += size
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
    return out


def _encode(fields: list[tuple[int, int, bytes | int]]) -> bytes:
    parts: list[bytes | memoryview] = []
    for number, wire, value in fields:
        parts.append(_encode_varint(number << 3 | wire))
        if wire == 0:
            parts.append(_encode_varint(int(value)))  # type: ignore[arg-type]
        elif wire == 2:
            assert isinstance(value, bytes | memoryview)
            parts += [_encode_varint(len(value)), value]
        else:
            assert isinstance(value, bytes | memoryview)
            parts.append(value)
    return b"".join(parts)  # one allocation


def _text(value: bytes | int) -> str:
    assert isinstance(value, bytes | memoryview)
    return bytes(value).decode("utf-8")


@dataclass
class _Node:
    fields: list[tuple[int, int, bytes | int]]
    op: str = ""
    inputs: list[str] = field(default_factory=list)
    outputs: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, data: memoryview) -> _Node:
        node = cls(_fields(data))
        for number, _, value in node.fields:
            if number == _NODE_INPUT:
                node.inputs.append(_text(value))
            elif number == _NODE_OUTPUT:
                node.outputs.append(_text(value))
            elif number == _NODE_OP:
                node.op = _text(value)
        return node

    def encode(self, *, op: str | None = None, inputs: list[str] | None = None, outputs: list[str] | None = None,
               domain: str | None = None) -> bytes:
        kept = [f for f in self.fields if f[0] not in (_NODE_INPUT, _NODE_OUTPUT, _NODE_OP, _NODE_DOMAIN)]
        head = [(_NODE_INPUT, 2, name.encode()) for name in (inputs if inputs is not None else self.inputs)]
        head += [(_NODE_OUTPUT, 2, name.encode()) for name in (outputs if outputs is not None else self.outputs)]
        head.append((_NODE_OP, 2, (op or self.op).encode()))
        old_domain = [f for f in self.fields if f[0] == _NODE_DOMAIN]
        tail = [(_NODE_DOMAIN, 2, domain.encode())] if domain is not None else old_domain
        return _encode(head + kept + tail)


def _initializer_dims(fields: list[tuple[int, int, bytes | int]]) -> tuple[str, list[int]]:
    name, dims = "", []
    for number, wire, value in fields:
        if number == _TENSOR_NAME:
            name = _text(value)
        elif number == _TENSOR_DIMS:
            if wire == 0:
                dims.append(int(value))  # type: ignore[arg-type]
            else:
                assert isinstance(value, memoryview)
                j = 0
                while j < len(value):
                    d, j = _varint(value, j)
                    dims.append(d)
    return name, dims


def _dequantized(nodes: list[_Node], initializers: set[str]) -> dict[str, tuple[str, str, int, int]]:
    """float weight name -> (int8 name, scale name, index of its Cast node, index of its Mul node)."""
    cast_of = {n.outputs[0]: (i, n.inputs[0]) for i, n in enumerate(nodes)
               if n.op == "Cast" and len(n.inputs) == 1 and n.inputs[0] in initializers}
    found: dict[str, tuple[str, str, int, int]] = {}
    for i, n in enumerate(nodes):
        if n.op == "Mul" and len(n.inputs) == 2 and n.inputs[0] in cast_of and n.inputs[1] in initializers:
            cast_index, quantized = cast_of[n.inputs[0]]
            found[n.outputs[0]] = (quantized, n.inputs[1], cast_index, i)
    return found


def quantized_compute(model: bytes) -> bytes:
    """The model with its weight MatMuls and embedding Gathers computed on the int8 weights (see above)."""
    top = _fields(model)
    graph_at = [i for i, f in enumerate(top) if f[0] == _MODEL_GRAPH]
    if len(graph_at) != 1:
        raise ValueError("not an ONNX model with one graph")
    graph_value = top[graph_at[0]][2]
    assert isinstance(graph_value, memoryview)
    graph = _fields(graph_value)
    nodes = [_Node.parse(v) for n, _, v in graph if n == _GRAPH_NODE and isinstance(v, memoryview)]
    init_fields = {}
    for number, _, value in graph:
        if number == _GRAPH_INITIALIZER and isinstance(value, memoryview):
            parsed = _fields(value)
            init_fields[_initializer_dims(parsed)[0]] = parsed
    weights = _dequantized(nodes, set(init_fields))
    uses: dict[str, int] = {}
    for n in nodes:
        for name in n.inputs:
            uses[name] = uses.get(name, 0) + 1
    dropped: set[int] = set()
    replaced: dict[int, bytes] = {}
    added: dict[int, list[bytes]] = {}  # new nodes, emitted just before the node they feed
    column_scales: set[str] = set()
    for weight, (quantized, scale, cast_index, mul_index) in weights.items():
        consumers = [i for i, n in enumerate(nodes) if weight in n.inputs]
        if uses.get(weight) != 1 or len(consumers) != 1:
            continue  # shared or unknown: left as it is
        i = consumers[0]
        node = nodes[i]
        scale_dims = _initializer_dims(init_fields[scale])[1]
        if node.op == "MatMul" and node.inputs[1] == weight and len(scale_dims) == 2 and scale_dims[0] == 1:
            replaced[i] = node.encode(op="DynamicQuantizeMatMul", inputs=[node.inputs[0], quantized, scale],
                                      domain="com.microsoft")
            column_scales.add(scale)
        elif node.op == "Gather" and node.inputs[0] == weight and len(scale_dims) == 2 and scale_dims[1] == 1:
            ids = node.inputs[1]
            rows, row_scales, rows_f = f"{weight}__rows_q", f"{weight}__rows_scale", f"{weight}__rows_f"
            added[i] = [
                _Node([]).encode(op="Gather", inputs=[quantized, ids], outputs=[rows], domain=""),
                _Node([]).encode(op="Gather", inputs=[scale, ids], outputs=[row_scales], domain=""),
                nodes[cast_index].encode(inputs=[rows], outputs=[rows_f]),
            ]
            replaced[i] = nodes[mul_index].encode(inputs=[rows_f, row_scales], outputs=node.outputs)
        else:
            continue
        dropped.update((cast_index, mul_index))
    if not replaced:
        raise ValueError("no int8 weight pattern found in the model")
    # DynamicQuantizeMatMul takes a per-column scale as a 1-D tensor: [1, N] -> [N], same data.
    new_graph: list[tuple[int, int, bytes | int]] = []
    node_index = 0
    for number, wire, value in graph:
        if number == _GRAPH_NODE:
            new_graph += [(_GRAPH_NODE, 2, b) for b in added.get(node_index, [])]
            if node_index in replaced:
                new_graph.append((_GRAPH_NODE, 2, replaced[node_index]))
            elif node_index not in dropped:
                new_graph.append((number, wire, value))
            node_index += 1
        elif number == _GRAPH_INITIALIZER and isinstance(value, memoryview):
            parsed = _fields(value)
            name, dims = _initializer_dims(parsed)
            if name in column_scales:
                parsed = [f for f in parsed if f[0] != _TENSOR_DIMS]
                parsed.insert(0, (_TENSOR_DIMS, 0, dims[1]))
                value = _encode(parsed)
            new_graph.append((number, wire, value))
        else:
            new_graph.append((number, wire, value))
    top[graph_at[0]] = (_MODEL_GRAPH, 2, _encode(new_graph))
    top.append((_MODEL_OPSET, 2, _encode([(_OPSET_DOMAIN, 2, b"com.microsoft"), (_OPSET_VERSION, 0, 1)])))
    return _encode(top)
